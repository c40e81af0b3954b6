using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Client.Errors;
using Enigm.Relay;

namespace Enigm.Client.Relay;

/// <summary>
/// The delivery WebSocket (<see cref="RelayRoutes.MailboxStream"/>): text frames holding one <see cref="StreamFrame"/>
/// each from the relay, <see cref="AckRequest"/> frames from the client. Frames are read up to a size cap; anything
/// that is not the contract ends the connection with <see cref="RelayUnavailableException"/>, and the caller falls
/// back to polling.
/// </summary>
internal sealed class MailboxStreamConnection : IAsyncDisposable
{
    /// <summary>Largest frame read: a message body of RelayLimits.MaxMessageBytes in base64, with its JSON.</summary>
    public const int MaxFrameBytes = (RelayLimits.MaxMessageBytes / 3 * 4) + (16 * 1024);

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker? _invoker;
    private readonly SemaphoreSlim _sendGate = new(1, 1);

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
            try
            {
                return JsonSerializer.Deserialize(frame.ToArray(), RelayJson.Default.StreamFrame) ?? throw new JsonException("null frame");
            }
            catch (JsonException e)
            {
                throw new RelayUnavailableException($"The relay sent a stream frame that is not the contract: {e.Message}", inner: e);
            }
        }
    }

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
        await RelayWebSocket.CloseAsync(_socket, _invoker, "bye");
        _sendGate.Dispose();
    }
}
