using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Enigm.Relay;
using Enigm.Server.Tests.Http;
using Xunit;
using static Enigm.Server.Tests.Calls.MediaRoom;

namespace Enigm.Server.Tests.Calls;

/// <summary>The media relay: rooms, forwarding, refusals before the upgrade, and the caps after it.</summary>
public sealed class MediaRelayTests
{
    [Fact]
    public async Task Forwards_opaque_frames_byte_for_byte_to_every_other_participant_and_not_back()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var room = await ThreeInRoom.StartAsync(relay);
        var (a, b, c) = (room.A, room.B, room.C);
        Assert.Equal(CallRoomEvent.Joined, (await ReceiveEventAsync(b)).Kind);

        // A header before random bytes: the relay reads the header only, so it never needs a key.
        var frames = Enumerable.Range(0, 20).Select(i => Framed(0x100, (ulong)i, RandomNumberGenerator.GetBytes(100 + i))).ToArray();
        foreach (var frame in frames) await SendAsync(a, frame);

        foreach (var frame in frames)
        {
            Assert.Equal(frame, await ReceiveFrameAsync(b));
            Assert.Equal(frame, await ReceiveFrameAsync(c));
        }

        var fromBob = Framed(0x200, 0, RandomNumberGenerator.GetBytes(160));
        await SendAsync(b, fromBob);
        Assert.Equal(fromBob, await ReceiveFrameAsync(a));
        Assert.Equal(fromBob, await ReceiveFrameAsync(c));
    }

    [Fact]
    public async Task Refuses_a_device_that_is_not_a_participant_with_403_before_the_upgrade()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var mallory = await TestAccount.CreateAsync(relay);
        var call = NewCallId();
        using var aliceHttp = relay.Client(await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await PutAsync(aliceHttp, call), CallJson.Default.CallRoomResponse);
        var malloryToken = await mallory.LoginAsync(relay, "phone");

        using var malloryHttp = relay.Client(malloryToken);
        await RelayAssert.Problem(await malloryHttp.GetAsync(CallRoutes.MediaPath(call)), 403, RelayProblem.Forbidden);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + malloryToken);
        var error = await Assert.ThrowsAnyAsync<WebSocketException>(() => socket.ConnectAsync(MediaUri(relay, call), CancellationToken.None));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);

        // Nor may it take the room over or end it.
        await RelayAssert.Problem(await PutAsync(malloryHttp, call, new CallRoomParticipant(mallory.Id, "phone")), 403, RelayProblem.Forbidden);
        await RelayAssert.Problem(await malloryHttp.DeleteAsync(CallRoutes.RoomPath(call)), 403, RelayProblem.Forbidden);
    }

    [Fact]
    public async Task Refuses_unknown_calls_bad_ids_and_missing_tokens_as_problem_json()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var aliceHttp = relay.Client(await alice.LoginAsync(relay, "phone"));

        await RelayAssert.Problem(await aliceHttp.GetAsync(CallRoutes.MediaPath(NewCallId())), 404, RelayProblem.NotFound);
        await RelayAssert.Problem(await aliceHttp.GetAsync(CallRoutes.MediaPath("NOT-A-CALL")), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await relay.Public.GetAsync(CallRoutes.MediaPath(NewCallId())), 401, RelayProblem.Unauthenticated);
        await RelayAssert.Problem(await PutAsync(aliceHttp, NewCallId(), new CallRoomParticipant("not-an-account", "phone")), 400, RelayProblem.Malformed);
        var tooMany = Enumerable.Range(0, CallLimits.MaxParticipants).Select(i => new CallRoomParticipant(alice.Id, $"d{i}")).ToArray();
        await RelayAssert.Problem(await PutAsync(aliceHttp, NewCallId(), tooMany), 413, RelayProblem.TooLarge);
    }

    [Fact]
    public async Task An_oversize_frame_closes_the_socket_with_1009_and_a_text_frame_with_1003()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        var call = NewCallId();
        var token = await alice.LoginAsync(relay, "phone");
        using var aliceHttp = relay.Client(token);
        await RelayAssert.Ok(await PutAsync(aliceHttp, call), CallJson.Default.CallRoomResponse);

        using var big = await ConnectAsync(relay, call, token);
        await SendAsync(big, new byte[CallLimits.MaxFrameBytes + 1]);
        Assert.Equal((int)WebSocketCloseStatus.MessageTooBig, await ReceiveCloseAsync(big));

        using var text = await ConnectAsync(relay, call, token);
        await text.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal((int)WebSocketCloseStatus.InvalidMessageType, await ReceiveCloseAsync(text));
    }

    [Theory]
    [InlineData(new byte[] { 0x08 })] // a header announcing a one-byte counter that is not there
    [InlineData(new byte[] { 0x08, 0x01, 0xAA, 0xBB })] // counter 1 in an extension byte where the 3-bit field fits: not shortest form
    [InlineData(new byte[] { 0x00 })] // a complete header (KID 0, CTR 0) with nothing after it
    public async Task A_frame_without_a_well_formed_SFrame_header_closes_the_socket_with_1007(byte[] frame)
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        var call = NewCallId();
        var token = await alice.LoginAsync(relay, "phone");
        using var aliceHttp = relay.Client(token);
        await RelayAssert.Ok(await PutAsync(aliceHttp, call), CallJson.Default.CallRoomResponse);

        using var socket = await ConnectAsync(relay, call, token);
        await SendAsync(socket, frame);
        Assert.Equal((int)WebSocketCloseStatus.InvalidPayloadData, await ReceiveCloseAsync(socket));
    }

    [Fact]
    public async Task A_participant_who_leaves_is_announced_and_receives_nothing_afterwards()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        var call = NewCallId();
        using var aliceHttp = relay.Client(await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await PutAsync(aliceHttp, call, new CallRoomParticipant(bob.Id, "phone")), CallJson.Default.CallRoomResponse);
        using var a = await ConnectAsync(relay, call, await alice.LoginAsync(relay, "phone"));
        using var b = await ConnectAsync(relay, call, await bob.LoginAsync(relay, "phone"));
        Assert.Equal(new CallRoomEvent(CallRoomEvent.Joined, bob.Id, "phone"), await ReceiveEventAsync(a));

        await b.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        Assert.Equal(new CallRoomEvent(CallRoomEvent.Left, bob.Id, "phone"), await ReceiveEventAsync(a));
        Assert.Equal(WebSocketState.Closed, b.State);
    }

    [Fact]
    public async Task The_owner_removing_a_device_closes_its_socket_with_4001_and_ending_the_call_closes_all_with_1000()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var room = await ThreeInRoom.StartAsync(relay);
        var (a, b, c) = (room.A, room.B, room.C);

        var updated = await RelayAssert.Ok(await room.RemoveCarolAsync(), CallJson.Default.CallRoomResponse);
        Assert.DoesNotContain(new CallRoomParticipant(room.Carol.Id, "phone"), updated.Participants);
        Assert.Equal(CallCloseCodes.Removed, await ReceiveCloseAsync(c));

        Assert.Equal(HttpStatusCode.NoContent, (await room.Owner.DeleteAsync(CallRoutes.RoomPath(room.Call))).StatusCode);
        Assert.Equal((int)WebSocketCloseStatus.NormalClosure, await ReceiveCloseAsync(a));
        Assert.Equal((int)WebSocketCloseStatus.NormalClosure, await ReceiveCloseAsync(b));
        await RelayAssert.Problem(await room.Owner.GetAsync(CallRoutes.MediaPath(room.Call)), 404, RelayProblem.NotFound);
    }

    [Fact]
    public async Task A_removed_device_is_not_forwarded_anything_it_sends_while_its_socket_closes()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var room = await ThreeInRoom.StartAsync(relay);
        var (a, b, c) = (room.A, room.B, room.C);
        await SendAsync(c, Framed(0x201, 0, RandomNumberGenerator.GetBytes(160)));
        await ReceiveFrameAsync(a);

        await RelayAssert.Ok(await room.RemoveCarolAsync(), CallJson.Default.CallRoomResponse);
        Assert.Equal(CallCloseCodes.Removed, await ReceiveCloseAsync(c));
        // Carol does not answer the close and sends on (a socket in CloseReceived may still send).
        for (var i = 1; i <= 5; i++) await SendAsync(c, Framed(0x201, (ulong)i, RandomNumberGenerator.GetBytes(160)));
        var fromBob = Framed(0x102, 0, RandomNumberGenerator.GetBytes(160));
        await SendAsync(b, fromBob);

        Assert.Equal(fromBob, await ReceiveFrameAsync(a));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReceiveFrameAsync(a, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Frames_over_a_participants_rate_are_dropped_not_forwarded()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        var call = NewCallId();
        using var aliceHttp = relay.Client(await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await PutAsync(aliceHttp, call, new CallRoomParticipant(bob.Id, "phone")), CallJson.Default.CallRoomResponse);
        using var a = await ConnectAsync(relay, call, await alice.LoginAsync(relay, "phone"));
        using var b = await ConnectAsync(relay, call, await bob.LoginAsync(relay, "phone"));

        // Far more than the burst (500) plus the refill (250/s) over the few seconds this takes.
        const int Sent = 4000;
        var started = DateTime.UtcNow;
        for (var i = 0; i < Sent; i++) await SendAsync(a, Framed(0x100, (ulong)i, BitConverter.GetBytes(i)));
        var elapsed = (DateTime.UtcNow - started).TotalSeconds;

        var received = 0;
        try
        {
            while (true)
            {
                await ReceiveFrameAsync(b, TimeSpan.FromSeconds(2));
                received++;
            }
        }
        catch (OperationCanceledException)
        {
            // Nothing more within 2 s.
        }

        Assert.True(received > 0, "some frames must pass");
        Assert.True(received <= 500 + (250 * (elapsed + 1)), $"{received} of {Sent} frames passed in {elapsed:F1} s");
    }

    [Fact]
    public async Task Revoking_a_participant_device_closes_its_media_socket_with_1008()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        alice.AddDevice("laptop");
        using var phone = relay.Client(await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);
        var call = NewCallId();
        await RelayAssert.Ok(await PutAsync(phone, call, new CallRoomParticipant(alice.Id, "laptop")), CallJson.Default.CallRoomResponse);
        using var laptop = await ConnectAsync(relay, call, await alice.LoginAsync(relay, "laptop"));

        alice.Revoke("laptop");
        await RelayAssert.Ok(await alice.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);

        Assert.Equal((int)WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(laptop));
    }
}
