using System.Net.WebSockets;
using System.Text;
using Enigm.Relay;
using Enigm.Relay.Policy;
using Enigm.Server.Hosting;
using Enigm.Server.Tests.Http;
using Enigm.Server.Tests.Policy;
using Enigm.Trust.Policy;
using Xunit;

namespace Enigm.Server.Tests.StreamSubmits;

/// <summary>
/// Every refusal of a submit on the delivery WebSocket: answered under the submit's id with the HTTP problem's status and
/// code (or, for a frame that cannot be answered by id, a problem frame and a close), and nothing stored.
/// </summary>
public sealed class StreamSubmitRefusalTests
{
    [Fact]
    public async Task Refuses_an_unknown_recipient_and_keeps_the_stream_open()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        await stream.SubmitAsync(1, new string('c', 64), TestAccount.Message("phone", "to nobody"));
        StreamAssert.Problem(await stream.ReplyAsync(1), 404, RelayProblem.UnknownAccount);

        await stream.SubmitAsync(2, bob.Id, TestAccount.Message("phone", "still open"));
        Assert.Equal(1, (await stream.ReplyAsync(2)).Response!.Stored);
    }

    [Fact]
    public async Task Refuses_a_device_list_that_is_not_the_recipients_with_the_mismatch_details()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        bob.AddDevice("laptop");
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await bob.PushLogAsync(bobPhone), RelayJson.Default.DeviceLogResponse);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        await stream.SubmitAsync(3, bob.Id, TestAccount.Message("phone", "a"), TestAccount.Message("tablet", "b"));
        var reply = await stream.ReplyAsync(3);

        StreamAssert.Problem(reply, 409, RelayProblem.DevicesMismatch);
        Assert.Equal(["laptop"], reply.Mismatch!.Missing);
        Assert.Equal(["tablet"], reply.Mismatch.Extra);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Refuses_invalid_submit_fields_under_the_submits_id()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        await stream.SubmitAsync(4, bob.Id);
        StreamAssert.Problem(await stream.ReplyAsync(4), 400, RelayProblem.Malformed);
        await stream.SubmitAsync(5, bob.Id, new OutgoingMessage("phone", new byte[16], new byte[RelayLimits.MaxMessageBytes + 1]));
        StreamAssert.Problem(await stream.ReplyAsync(5), 413, RelayProblem.TooLarge);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task A_frame_over_the_request_cap_gets_a_too_large_problem_and_closes_the_stream()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        // A valid submit frame padded past the cap with whitespace (JSON allows it): refused by size, not by content.
        var frame = Encoding.UTF8.GetBytes($"{{\"submit\":{{\"id\":6,\"recipient\":\"{bob.Id}\",\"messages\":[{{\"device\":\"phone\",\"messageId\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"body\":\"aGk=\"}}]}}}}");
        await stream.SendAsync([.. frame, .. Enumerable.Repeat((byte)' ', RelayLimits.MaxRequestBytes)]);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await stream.ClosedAsync());
        Assert.Equal(RelayProblem.TooLarge, Assert.Single(stream.Frames, f => f.Problem is not null).Problem!.Code);
        Assert.Empty(stream.Replies);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task A_submit_frame_just_under_the_cap_is_read_and_answered()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        var frame = Encoding.UTF8.GetBytes($"{{\"submit\":{{\"id\":8,\"recipient\":\"{bob.Id}\",\"messages\":[{{\"device\":\"phone\",\"messageId\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"body\":\"aGk=\"}}]}}}}");
        await stream.SendAsync([.. frame, .. Enumerable.Repeat((byte)' ', RelayLimits.MaxRequestBytes - frame.Length)]);

        Assert.Equal(1, (await stream.ReplyAsync(8)).Response!.Stored);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"seqs\":[1],\"submit\":{\"id\":1,\"recipient\":\"x\",\"messages\":[]}}")]
    public async Task A_frame_that_is_not_a_client_frame_gets_a_malformed_problem_and_closes_the_stream(string text)
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        await stream.SendAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await stream.ClosedAsync());
        Assert.Equal(RelayProblem.Malformed, Assert.Single(stream.Frames, f => f.Problem is not null).Problem!.Code);
    }

    [Fact]
    public async Task Refuses_a_sender_the_organisation_restricted()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await org.InitAsync();
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.Restrict, alice.Id, "phone", "investigation"), PolicyJson.Default.AdminActionResponse);

        await stream.SubmitAsync(9, bob.Id, TestAccount.Message("phone", "blocked"));

        StreamAssert.Problem(await stream.ReplyAsync(9), 403, PolicyProblem.DeviceRestricted);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Refuses_a_sender_over_its_token_bucket_with_retry_after()
    {
        await using var relay = await RelayFixture.StartAsync(o => o with { RateLimits = o.RateLimits with { PerSenderDevice = new BucketSize(2, 0.01) } });
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        for (var id = 1; id <= 3; id++)
        {
            await stream.SubmitAsync(id, bob.Id, TestAccount.Message("phone", "burst"));
            await stream.ReplyAsync(id);
        }

        Assert.NotNull(stream.Replies[2].Response);
        var refused = stream.Replies[3];
        StreamAssert.Problem(refused, 429, RelayProblem.RateLimited);
        Assert.True(refused.RetryAfterSeconds >= 1);
        Assert.Equal(2, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Refuses_a_submit_to_a_full_mailbox()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await relay.Store.EnqueueAsync(bob.Id, [.. Enumerable.Range(0, RelayLimits.MaxMailboxMessages).Select(_ => TestAccount.Message("phone", "x"))], DateTimeOffset.UtcNow);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));

        await stream.SubmitAsync(10, bob.Id, TestAccount.Message("phone", "one too many"));

        StreamAssert.Problem(await stream.ReplyAsync(10), 507, RelayProblem.MailboxFull);
        Assert.Equal(RelayLimits.MaxMailboxMessages, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Re_checks_the_token_for_every_submit_frame()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));
        await stream.SubmitAsync(11, bob.Id, TestAccount.Message("phone", "while valid"));
        Assert.NotNull((await stream.ReplyAsync(11)).Response);

        // The token is gone from the store (no signal reaches the connection): the next frame is refused as HTTP would be.
        await relay.Store.RevokeTokensAsync(alice.Id, "phone");
        await stream.SubmitAsync(12, bob.Id, TestAccount.Message("phone", "after"));

        StreamAssert.Problem(await stream.ReplyAsync(12), 401, RelayProblem.Unauthenticated);
        Assert.Equal(1, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task Refuses_a_submit_once_the_token_expired_even_before_the_connection_is_closed()
    {
        // The relay's clock jumps past the token's expiry; the connection's own expiry timer (real time) has not fired.
        var clock = new ShiftedClock();
        await using var relay = await RelayFixture.StartAsync(o => o with { Time = clock });
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var stream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));
        await stream.SubmitAsync(14, bob.Id, TestAccount.Message("phone", "in time"));
        Assert.NotNull((await stream.ReplyAsync(14)).Response);

        clock.Offset = TimeSpan.FromDays(2);
        await stream.SubmitAsync(15, bob.Id, TestAccount.Message("phone", "too late"));

        StreamAssert.Problem(await stream.ReplyAsync(15), 401, RelayProblem.Unauthenticated);
        Assert.Equal(1, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task A_revoked_devices_socket_is_closed_and_its_submits_store_nothing()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        alice.AddDevice("laptop");
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await alice.PushLogAsync(alicePhone), RelayJson.Default.DeviceLogResponse);
        await using var laptop = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "laptop"));

        alice.Revoke("laptop");
        await RelayAssert.Ok(await alice.PushLogAsync(alicePhone), RelayJson.Default.DeviceLogResponse);
        try
        {
            await laptop.SubmitAsync(13, bob.Id, TestAccount.Message("phone", "from a revoked device"));
        }
        catch (WebSocketException)
        {
            // Already closed.
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await laptop.ClosedAsync());
        if (laptop.Replies.TryGetValue(13, out var reply)) StreamAssert.Problem(reply, 403, RelayProblem.DeviceRevoked);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    /// <summary>The system clock moved by <see cref="Offset"/> (timers stay on real time).</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
