using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Diagnostics;

namespace Enigm.Server.Delivery;

/// <summary>
/// Sends <see cref="StreamFrame"/>s on one delivery WebSocket. A WebSocket allows one send at a time, and two loops send
/// on it (the delivery pump and the replies to submits the client sent on the socket), so sends take turns here.
/// </summary>
public sealed class StreamFrameSender(WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SendAsync(StreamFrame frame, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, RelayJson.Default.StreamFrame);
        var started = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(ct);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct);
            RelayMetrics.FrameSend.Record(RelayMetrics.Since(started));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
