using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>The delivery WebSocket: backlog and live pushes, acks over the socket, one connection per device.</summary>
public sealed class StreamTests
{
    [Fact]
    public async Task Streams_backlog_then_live_messages_and_applies_acks()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        var bobToken = await bob.LoginAsync(relay, "phone");
        await Submit(alicePhone, bob.Id, "before connecting");

        using var socket = await Connect(relay, bobToken);
        var first = await Receive(socket);
        Assert.Equal("before connecting", Encoding.UTF8.GetString(first.Message!.Body));
        Assert.True((await Receive(socket)).Drained);

        await Submit(alicePhone, bob.Id, "while connected");
        var live = await Receive(socket);
        Assert.Equal("while connected", Encoding.UTF8.GetString(live.Message!.Body));

        var ack = JsonSerializer.SerializeToUtf8Bytes(new AckRequest([first.Message.Seq, live.Message.Seq]), RelayJson.Default.AckRequest);
        await socket.SendAsync(ack, WebSocketMessageType.Text, true, CancellationToken.None);
        await WaitUntil(async () => (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages == 0);
    }

    [Fact]
    public async Task A_second_connection_for_the_device_replaces_the_first_with_status_4000()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var bob = await TestAccount.CreateAsync(relay);
        var token = await bob.LoginAsync(relay, "phone");
        using var first = await Connect(relay, token);
        Assert.True((await Receive(first)).Drained);

        using var second = await Connect(relay, token);
        Assert.True((await Receive(second)).Drained);

        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await first.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(4000, (int)first.CloseStatus!.Value);
        Assert.Equal(WebSocketState.Open, second.State);
    }

    [Fact]
    public async Task Revoking_the_device_closes_its_connection()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var bob = await TestAccount.CreateAsync(relay);
        bob.AddDevice("laptop");
        using var phone = relay.Client(await bob.LoginAsync(relay, "phone"));
        await RelayAssert.Ok(await bob.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);
        using var laptop = await Connect(relay, await bob.LoginAsync(relay, "laptop"));
        Assert.True((await Receive(laptop)).Drained);

        bob.Revoke("laptop");
        await RelayAssert.Ok(await bob.PushLogAsync(phone), RelayJson.Default.DeviceLogResponse);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await laptop.ReceiveAsync(new byte[1024], timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, laptop.CloseStatus);
    }

    [Fact]
    public async Task Refuses_a_stream_without_a_valid_token()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var socket = new ClientWebSocket();
        var uri = new Uri(relay.Public.BaseAddress!.ToString().Replace("http", "ws", StringComparison.Ordinal).TrimEnd('/') + RelayRoutes.MailboxStream + "?token=forged");

        var error = await Assert.ThrowsAnyAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_closes_with_4001_when_its_token_expires()
    {
        await using var relay = await RelayFixture.StartAsync(o => o with { TokenTtl = TimeSpan.FromSeconds(3) });
        using var bob = await TestAccount.CreateAsync(relay);
        var token = await bob.LoginAsync(relay, "phone");
        var opened = System.Diagnostics.Stopwatch.StartNew();
        using var socket = await Connect(relay, token);
        Assert.True((await Receive(socket)).Drained);

        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(4001, (int)socket.CloseStatus!.Value);
        Assert.Equal("token expired", socket.CloseStatusDescription);
        // Not before the token expired (login to close took at least the rest of its 3 s), and the token is dead now.
        Assert.True(opened.Elapsed > TimeSpan.FromSeconds(1), $"closed after {opened.Elapsed}");
        var again = await Assert.ThrowsAsync<WebSocketException>(() => Connect(relay, token));
        Assert.Contains("401", again.Message, StringComparison.Ordinal);
    }

    internal static async Task<ClientWebSocket> Connect(RelayFixture relay, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var uri = new Uri(relay.Public.BaseAddress!.ToString().Replace("http", "ws", StringComparison.Ordinal).TrimEnd('/') + RelayRoutes.MailboxStream);
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    internal static async Task<StreamFrame> Receive(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[512 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return JsonSerializer.Deserialize(buffer.AsSpan(0, length), RelayJson.Default.StreamFrame)!;
    }

    private static async Task Submit(HttpClient sender, string recipient, string text) =>
        await RelayAssert.Ok(await sender.PostAsJsonAsync(RelayRoutes.Messages, new SubmitRequest(recipient, [TestAccount.Message("phone", text)]), RelayJson.Default.SubmitRequest), RelayJson.Default.SubmitResponse);

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }

        Assert.Fail("the condition did not become true within 5 seconds");
    }
}
