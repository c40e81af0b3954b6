using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Diagnostics;

namespace Enigm.Server.Delivery;

/// <summary>
/// Sends <see cref="StreamFrame"/>s on one delivery WebSocket. A WebSocket allows one send at a time, and two loops send
/// on it (the delivery pump and the replies to submits the client sent on the socket), so sends take turns here. A frame
/// is serialised into this connection's buffer during its turn (no array per frame); a buffer grown past
/// <see cref="KeptBufferBytes"/> by a large frame is dropped after it.
/// </summary>
public sealed class StreamFrameSender(WebSocket socket) : IDisposable
{
    public const int KeptBufferBytes = 64 * 1024;

    /// <summary>What <see cref="JsonSerializer.SerializeToUtf8Bytes(object?, System.Text.Json.Serialization.Metadata.JsonTypeInfo)"/> would write with the wire options.</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = RelayJson.Default.Options.Encoder,
        Indented = RelayJson.Default.Options.WriteIndented,
        MaxDepth = RelayJson.Default.Options.MaxDepth,
    };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter? _writer;

    public async Task SendAsync(StreamFrame frame, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await _gate.WaitAsync(ct);
        try
        {
            _buffer.ResetWrittenCount();
            if (_writer is null) _writer = new Utf8JsonWriter(_buffer, WriterOptions);
            else _writer.Reset(_buffer);
            JsonSerializer.Serialize(_writer, frame, RelayJson.Default.StreamFrame);
            _writer.Flush();
            await socket.SendAsync(_buffer.WrittenMemory, WebSocketMessageType.Text, true, ct);
            RelayMetrics.FrameSend.Record(RelayMetrics.Since(started));
        }
        finally
        {
            if (_buffer.Capacity > KeptBufferBytes)
            {
                _buffer = new ArrayBufferWriter<byte>(1024);
                _writer?.Dispose();
                _writer = null;
            }

            _gate.Release();
        }
    }

    // The writer holds no unmanaged state; it is left to the collector (a late send may still be using it).
    public void Dispose() => _gate.Dispose();
}
