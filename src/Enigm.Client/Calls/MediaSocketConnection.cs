using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Client.Errors;
using Enigm.Client.Relay;
using Enigm.Relay;

namespace Enigm.Client.Calls;

/// <summary>What a media socket delivered: another participant's frame, a room event, or the close (with its status).</summary>
internal readonly record struct MediaDelivery(byte[]? Frame, CallRoomEvent? Event, int? CloseStatus);

/// <summary>
/// A participant's media WebSocket: binary frames out and in (opaque SFrame ciphertexts), <see cref="CallRoomEvent"/>
/// text frames in. Reads are capped at <see cref="CallLimits.MaxFrameBytes"/>; anything else from the relay ends the
/// connection with <see cref="RelayUnavailableException"/>.
/// </summary>
internal sealed class MediaSocketConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker? _invoker;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly byte[] _buffer = new byte[CallLimits.MaxFrameBytes];

    private MediaSocketConnection(ClientWebSocket socket, HttpMessageInvoker? invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    public static async Task<MediaSocketConnection> ConnectAsync(Uri server, string call, string token, HttpMessageHandler? handler, CancellationToken ct)
    {
        var (socket, invoker) = await RelayWebSocket.ConnectAsync(server, CallRoutes.MediaPath(call), token, handler, "The relay's media socket for this call is unavailable", ct);
        return new MediaSocketConnection(socket, invoker);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken ct)
    {
        await _sendGate.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, ct);
        }
        catch (WebSocketException e)
        {
            throw new RelayUnavailableException($"The relay's media socket broke: {e.Message}", inner: e);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>The next delivery; one reader at a time.</summary>
    public async Task<MediaDelivery> ReceiveAsync(CancellationToken ct)
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        try
        {
            do
            {
                if (length == _buffer.Length) throw new RelayUnavailableException($"The relay sent a media frame over {CallLimits.MaxFrameBytes} bytes.");
                result = await _socket.ReceiveAsync(_buffer.AsMemory(length), ct);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
        }
        catch (WebSocketException e)
        {
            throw new RelayUnavailableException($"The relay's media socket broke: {e.Message}", inner: e);
        }

        switch (result.MessageType)
        {
            case WebSocketMessageType.Close:
                return new MediaDelivery(null, null, (int)(_socket.CloseStatus ?? WebSocketCloseStatus.Empty));
            case WebSocketMessageType.Binary:
                return new MediaDelivery(_buffer[..length], null, null);
        }

        try
        {
            return new MediaDelivery(null, JsonSerializer.Deserialize(_buffer.AsSpan(0, length), CallJson.Default.CallRoomEvent), null);
        }
        catch (JsonException e)
        {
            throw new RelayUnavailableException($"The relay sent a media event that is not the contract: {e.Message}", inner: e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RelayWebSocket.CloseAsync(_socket, _invoker, "left");
        _sendGate.Dispose();
    }
}
