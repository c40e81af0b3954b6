using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Hosting;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>
/// A connected device gets each new message handed over from memory once it is durable, and the backlog from the store;
/// whichever way a message arrives, the device receives every stored message exactly once on one connection.
/// </summary>
public sealed class LiveDeliveryTests
{
    [Fact]
    public async Task A_connected_device_receives_every_concurrent_submit_exactly_once()
    {
        await using var relay = await RelayFixture.StartAsync(Unthrottled);
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        using var socket = await StreamTests.Connect(relay, await bob.LoginAsync(relay, "phone"));
        Assert.True((await StreamTests.Receive(socket)).Drained);

        // More than a connection keeps in memory (DeliveryConnection.MaxHandedOver), sent concurrently so submits
        // finish out of seq order and some are also found by the fetch the overflow forces.
        var sent = Enumerable.Range(0, 400).Select(i => "live " + i).ToArray();
        var receiving = ReceiveTexts(socket, sent.Length);
        await Parallel.ForEachAsync(sent, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (text, _) => await Submit(alicePhone, bob.Id, text));

        var received = await receiving;
        Assert.Equal(sent.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_backlog_larger_than_one_fetch_and_live_submits_arrive_once_each()
    {
        await using var relay = await RelayFixture.StartAsync(Unthrottled);
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var backlog = Enumerable.Range(0, 250).Select(i => "backlog " + i).ToArray();
        foreach (var text in backlog) await Submit(alicePhone, bob.Id, text);

        using var socket = await StreamTests.Connect(relay, await bob.LoginAsync(relay, "phone"));
        var live = Enumerable.Range(0, 100).Select(i => "live " + i).ToArray();
        var receiving = ReceiveTexts(socket, backlog.Length + live.Length);
        // Submitted while the connection is still sending the backlog in fetches of MailboxStream.BatchSize.
        await Parallel.ForEachAsync(live, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (text, _) => await Submit(alicePhone, bob.Id, text));

        var received = await receiving;
        Assert.Equal(backlog.Concat(live).Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        // The backlog keeps the mailbox's order.
        Assert.Equal(backlog, received.Where(t => t.StartsWith("backlog", StringComparison.Ordinal)));
    }

    private static RelayServerOptions Unthrottled(RelayServerOptions options) =>
        options with { RateLimits = new RelayRateLimits { PerSenderDevice = new BucketSize(1e6, 1e6) } };

    /// <summary>Reads message frames until <paramref name="count"/> arrived, then one more second to catch any duplicate.</summary>
    private static async Task<List<string>> ReceiveTexts(ClientWebSocket socket, int count)
    {
        var texts = new List<string>();
        while (texts.Count < count)
        {
            var frame = await StreamTests.Receive(socket);
            if (frame.Message is { } message) texts.Add(Encoding.UTF8.GetString(message.Body));
        }

        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), quiet.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                var frame = JsonSerializer.Deserialize(buffer.AsSpan(0, length), RelayJson.Default.StreamFrame)!;
                if (frame.Message is { } message) texts.Add(Encoding.UTF8.GetString(message.Body));
            }
        }
        catch (OperationCanceledException)
        {
            // Quiet for a second: nothing more came.
        }

        return texts;
    }

    private static async Task Submit(HttpClient sender, string recipient, string text) =>
        await RelayAssert.Ok(await sender.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(recipient, [TestAccount.Message("phone", text)]), RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse);
}
