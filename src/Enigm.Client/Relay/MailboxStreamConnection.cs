using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Client.Errors;
using Enigm.Relay;

namespace Enigm.Client.Relay;

/// <summary>
/// The delivery WebSocket (<see cref="RelayRoutes.MailboxStream"/>): text frames holding one <see cref="StreamFrame"/>
/// each from the relay, <see cref="AckRequest"/> frames from the client. Frames are read up to a size cap; anything
/// that is not the contract ends the connection with <see cref="RelayUnavailableException"/>, and the caller falls
/// back to polling. Acks are batched (<see cref="AcknowledgeAsync"/>): the seqs of handled messages go out together in
/// one frame when the relay says the backlog is drained, when <see cref="AckBatch"/> are waiting, or when the stream
/// closes (docs/relay-api.md, "Delivery"): one ack frame and one store write for a burst instead of one per message.
/// </summary>
internal sealed class MailboxStreamConnection : IAsyncDisposable
{
    /// <summary>Largest frame read: a message body of RelayLimits.MaxMessageBytes in base64, with its JSON.</summary>
    public const int MaxFrameBytes = (RelayLimits.MaxMessageBytes / 3 * 4) + (16 * 1024);

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker? _invoker;
    /// <summary>Handled messages whose ack waits for the next frame out.</summary>
    public const int AckBatch = 64;

    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly List<long> _unacknowledged = new(AckBatch);

    private MailboxStreamConnection(ClientWebSocket socket, HttpMessageInvoker? invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    /// <summary>Why the relay closed the stream (4000: another connection of this device replaced it), once closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<MailboxStreamConnection> ConnectAsync(Uri server, string token, HttpMessageHandler? handler, CancellationToken ct)
    {
        var (socket, invoker) = await RelayWebSocket.ConnectAsync(server, RelayRoutes.MailboxStream, token, handler, "The relay's delivery stream is unavailable", ct);
        return new MailboxStreamConnection(socket, invoker);
    }

    /// <summary>The next frame, or null when the relay closed the stream.</summary>
    public async Task<StreamFrame?> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var frame = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, ct);
            }
            catch (WebSocketException e)
            {
                throw new RelayUnavailableException($"The relay's delivery stream broke: {e.Message}", inner: e);
            }

            if (result.MessageType == WebSocketMessageType.Close) return null;
            if (frame.Length + result.Count > MaxFrameBytes)
                throw new RelayUnavailableException($"The relay sent a stream frame larger than {MaxFrameBytes} bytes.");
            frame.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            StreamFrame parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(frame.ToArray(), RelayJson.Default.StreamFrame) ?? throw new JsonException("null frame");
            }
            catch (JsonException e)
            {
                throw new RelayUnavailableException($"The relay sent a stream frame that is not the contract: {e.Message}", inner: e);
            }

            // The burst is over: everything handled so far is acknowledged in one frame.
            if (parsed.Drained) await FlushAcksAsync(ct);
            return parsed;
        }
    }

    /// <summary>
    /// Acknowledges a handled message with the next batch (see the class summary). An ack lost with the connection only
    /// means the message is delivered again, and the client drops it by message id.
    /// </summary>
    public async Task AcknowledgeAsync(long seq, CancellationToken ct)
    {
        _unacknowledged.Add(seq);
        if (_unacknowledged.Count >= AckBatch) await FlushAcksAsync(ct);
    }

    /// <summary>Sends the waiting acks in one frame (nothing when none wait).</summary>
    public async Task FlushAcksAsync(CancellationToken ct)
    {
        if (_unacknowledged.Count == 0) return;
        long[] seqs = [.. _unacknowledged];
        _unacknowledged.Clear();
        await AckAsync(seqs, ct);
    }

    /// <summary>Acknowledges these messages now, in one frame.</summary>
    public async Task AckAsync(IReadOnlyList<long> seqs, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new AckRequest([.. seqs]), RelayJson.Default.AckRequest);
        await _sendGate.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        catch (WebSocketException e)
        {
            throw new RelayUnavailableException($"The relay's delivery stream broke: {e.Message}", inner: e);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await FlushAcksAsync(timeout.Token);
            }
            catch (Exception e) when (e is RelayUnavailableException or OperationCanceledException)
            {
                // Not acknowledged: delivered again on the next connection, dropped there by message id.
            }
        }

        await RelayWebSocket.CloseAsync(_socket, _invoker, "bye");
        _sendGate.Dispose();
    }
}
