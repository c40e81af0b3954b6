using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Tests.Http;
using Xunit;

namespace Enigm.Server.Tests.StreamSubmits;

/// <summary>
/// A device's delivery WebSocket as a test drives it: sends submit and ack frames, reads server frames, keeps the
/// messages delivered (single or batched frames) and the replies received, by id.
/// </summary>
internal sealed class StreamSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private StreamSocket(ClientWebSocket socket) => _socket = socket;

    public List<MailboxMessage> Delivered { get; } = [];

    public Dictionary<long, StreamSubmitReply> Replies { get; } = [];

    public List<StreamFrame> Frames { get; } = [];

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<StreamSocket> ConnectAsync(RelayFixture relay, string token, int version = RelayRoutes.StreamVersion)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var uri = new Uri(relay.Public.BaseAddress!.ToString().Replace("http", "ws", StringComparison.Ordinal).TrimEnd('/') + RelayRoutes.MailboxStream + "?v=" + version);
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new StreamSocket(socket);
    }

    public Task SubmitAsync(long id, string recipient, params OutgoingMessage[] messages) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(new StreamClientFrame(Submit: new StreamSubmit(id, recipient, messages)), RelayJson.Default.StreamClientFrame));

    public Task AckAsync(params long[] seqs) =>
        SendAsync(JsonSerializer.SerializeToUtf8Bytes(new StreamClientFrame(Seqs: seqs), RelayJson.Default.StreamClientFrame));

    public async Task SendAsync(byte[] frame) => await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next frame (recorded), or null once the relay closed the stream.</summary>
    public async Task<StreamFrame?> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(15));
        var buffer = new byte[1024 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        if (result.MessageType == WebSocketMessageType.Close) return null;
        var frame = JsonSerializer.Deserialize(buffer.AsSpan(0, length), RelayJson.Default.StreamFrame)!;
        Frames.Add(frame);
        if (frame.Message is { } message) Delivered.Add(message);
        Delivered.AddRange(frame.Messages ?? []);
        if (frame.Reply is { } reply) Assert.True(Replies.TryAdd(reply.Id, reply), $"a second reply to submit {reply.Id}");
        return frame;
    }

    /// <summary>Reads frames until the reply to <paramref name="id"/> has come.</summary>
    public async Task<StreamSubmitReply> ReplyAsync(long id)
    {
        while (!Replies.ContainsKey(id))
        {
            if (await ReceiveAsync() is null) Assert.Fail($"the stream closed ({CloseStatus}) before the reply to submit {id}");
        }

        return Replies[id];
    }

    /// <summary>Reads frames until <paramref name="count"/> messages were delivered.</summary>
    public async Task<List<MailboxMessage>> DeliveredAsync(int count)
    {
        while (Delivered.Count < count)
        {
            if (await ReceiveAsync() is null) Assert.Fail($"the stream closed ({CloseStatus}) after {Delivered.Count} of {count} messages");
        }

        return Delivered;
    }

    /// <summary>Reads frames until the relay closes the stream; returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return CloseStatus;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Assertions on a reply carrying a problem.</summary>
internal static class StreamAssert
{
    public static ProblemBody Problem(StreamSubmitReply reply, int status, string code)
    {
        Assert.Null(reply.Response);
        var problem = Assert.IsType<ProblemBody>(reply.Problem);
        Assert.Equal(code, problem.Code);
        Assert.Equal(status, problem.Status);
        Assert.Equal(RelayProblem.TypePrefix + code, problem.Type);
        return problem;
    }
}
