using System.Net.Http.Json;
using System.Text;
using Enigm.Relay;
using Enigm.Server.Tests.Http;
using Xunit;

namespace Enigm.Server.Tests.StreamSubmits;

/// <summary>Submits carried on the delivery WebSocket, and several messages per delivery frame (docs/relay-api.md, "Delivery").</summary>
public sealed class StreamSubmitTests
{
    [Fact]
    public async Task A_submit_on_the_socket_is_answered_once_stored_and_reaches_the_recipients_stream()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var aliceStream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));
        await using var bobStream = await StreamSocket.ConnectAsync(relay, await bob.LoginAsync(relay, "phone"));

        var message = TestAccount.Message("phone", "over the socket");
        await aliceStream.SubmitAsync(7, bob.Id, message);
        var reply = await aliceStream.ReplyAsync(7);

        // Answered only once durable: the store holds it at the moment the reply is read.
        Assert.Equal(1, reply.Response!.Stored);
        Assert.Null(reply.Problem);
        var stored = Assert.Single(await relay.Store.FetchAsync(bob.Id, "phone", 0, 10));
        Assert.Equal(message.MessageId, stored.MessageId);
        var delivered = Assert.Single(await bobStream.DeliveredAsync(1));
        Assert.Equal("over the socket", Encoding.UTF8.GetString(delivered.Body));
        Assert.Equal(stored.Seq, delivered.Seq);
    }

    [Fact]
    public async Task Pipelined_submits_are_all_answered_by_id_and_each_message_is_delivered_once()
    {
        // More than the relay's window (64 in flight): the rest wait in the socket until answers free places.
        const int Count = 150;
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var aliceStream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));
        await using var bobStream = await StreamSocket.ConnectAsync(relay, await bob.LoginAsync(relay, "phone"));

        var sent = Enumerable.Range(1, Count).Select(i => TestAccount.Message("phone", "message " + i)).ToArray();
        for (var i = 0; i < Count; i++) await aliceStream.SubmitAsync(1000 + i, bob.Id, sent[i]);
        for (var i = 0; i < Count; i++) Assert.Equal(1, (await aliceStream.ReplyAsync(1000 + i)).Response!.Stored);
        Assert.Equal(Count, aliceStream.Replies.Count);

        var delivered = await bobStream.DeliveredAsync(Count);
        await bobStream.AckAsync([.. delivered.Select(m => m.Seq)]);
        // Nothing more arrives: the stream goes quiet with the queue drained, and every id was delivered exactly once.
        while (await bobStream.ReceiveAsync(TimeSpan.FromSeconds(1)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null) is { } frame)
            Assert.True(frame.Message is null && frame.Messages is null, "a message came twice");
        Assert.Equal(Count, delivered.Count);
        Assert.Equal(sent.Select(m => Convert.ToHexString(m.MessageId)).Order(), delivered.Select(m => Convert.ToHexString(m.MessageId)).Order());
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);
    }

    [Fact]
    public async Task A_version_2_stream_carries_a_waiting_backlog_in_one_frame_and_a_version_1_stream_one_per_frame()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        for (var i = 0; i < 5; i++)
        {
            await RelayAssert.Ok(await alicePhone.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(bob.Id, [TestAccount.Message("phone", "backlog " + i)]), RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse);
        }

        var bobToken = await bob.LoginAsync(relay, "phone");
        await using (var version2 = await StreamSocket.ConnectAsync(relay, bobToken, version: 2))
        {
            var frame = await version2.ReceiveAsync();
            Assert.Null(frame!.Message);
            Assert.Equal(["backlog 0", "backlog 1", "backlog 2", "backlog 3", "backlog 4"], frame.Messages!.Select(m => Encoding.UTF8.GetString(m.Body)));
        }

        await using var version1 = await StreamSocket.ConnectAsync(relay, bobToken, version: 1);
        for (var i = 0; i < 5; i++)
        {
            var frame = await version1.ReceiveAsync();
            Assert.Null(frame!.Messages);
            Assert.Equal("backlog " + i, Encoding.UTF8.GetString(frame.Message!.Body));
        }
    }

    [Fact]
    public async Task A_version_3_stream_marks_drained_on_the_frame_that_empties_the_queue_and_version_2_sends_the_marker_alone()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var aliceStream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));
        for (var i = 0; i < 3; i++)
        {
            await aliceStream.SubmitAsync(i, bob.Id, TestAccount.Message("phone", "backlog " + i));
            await aliceStream.ReplyAsync(i);
        }

        var bobToken = await bob.LoginAsync(relay, "phone");
        await using (var version3 = await StreamSocket.ConnectAsync(relay, bobToken, version: 3))
        {
            // The backlog and its marker in one frame, then each live message with its own marker: no frame of its own.
            var backlog = await version3.ReceiveAsync();
            Assert.True(backlog!.Drained);
            Assert.Equal(["backlog 0", "backlog 1", "backlog 2"], backlog.Messages!.Select(m => Encoding.UTF8.GetString(m.Body)));
            await aliceStream.SubmitAsync(10, bob.Id, TestAccount.Message("phone", "live"));
            var live = await version3.ReceiveAsync();
            Assert.True(live!.Drained);
            Assert.Equal("live", Encoding.UTF8.GetString(live.Message!.Body));
            await NothingMoreAsync(version3);
            Assert.Equal(2, version3.Frames.Count);
        }

        await using var version2 = await StreamSocket.ConnectAsync(relay, bobToken, version: 2);
        var frame = await version2.ReceiveAsync();
        Assert.False(frame!.Drained);
        Assert.Equal(4, frame.Messages!.Length);
        var marker = await version2.ReceiveAsync();
        Assert.True(marker!.Drained);
        Assert.True(marker.Message is null && marker.Messages is null);
        await aliceStream.SubmitAsync(11, bob.Id, TestAccount.Message("phone", "live 2"));
        var single = await version2.ReceiveAsync();
        Assert.False(single!.Drained);
        Assert.Equal("live 2", Encoding.UTF8.GetString(single.Message!.Body));
        Assert.True((await version2.ReceiveAsync())!.Drained);
        await NothingMoreAsync(version2);
    }

    /// <summary>No frame comes within a second (the stream is quiet).</summary>
    private static async Task NothingMoreAsync(StreamSocket stream)
    {
        var count = stream.Frames.Count;
        try
        {
            var frame = await stream.ReceiveAsync(TimeSpan.FromSeconds(1));
            Assert.Fail($"a frame came after the marker: drained {frame?.Drained}, message {frame?.Message is not null}, messages {frame?.Messages?.Length}");
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // Quiet (the wait's cancellation aborts the socket; the test is done with it).
        }

        Assert.Equal(count, stream.Frames.Count);
    }
}
