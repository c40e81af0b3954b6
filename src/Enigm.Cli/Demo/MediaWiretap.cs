using System.Buffers.Binary;
using System.Net;
using System.Threading.Channels;

namespace Enigm.Cli.Demo;

/// <summary>
/// What a misbehaving relay can do on one device's call media path, for the <c>call</c> chapter (and, linked, the
/// client's call tests): a handler between the device and the relay that records every media frame the relay delivers
/// on the device's call socket, can flip a bit in the next one, can deliver frames of its own (captured elsewhere), and,
/// when <paramref name="keepDeviceInCall"/>, swallows the relay's close so that a device the owner removed stays
/// connected and keeps receiving whatever this path sends it. It reads only WebSocket framing (RFC 6455 §5.2); the
/// SFrame frames inside stay as opaque to it as they are to the relay.
/// </summary>
internal sealed class MediaWiretap(bool keepDeviceInCall) : DelegatingHandler(new SocketsHttpHandler())
{
    private const int Binary = 0x2;
    private const int Close = 0x8;

    private readonly Lock _gate = new();
    private readonly List<byte[]> _frames = [];
    private Channel<byte[]>? _toDevice;
    private int _tamperNext;

    /// <summary>The close code the relay sent on the device's media socket (4001: the owner removed it), if it did.</summary>
    public int? RelayClosedWith { get; private set; }

    /// <summary>The media frames (SFrame ciphertexts) the relay delivered to the device, in order, tampered ones included.</summary>
    public IReadOnlyList<byte[]> Frames
    {
        get
        {
            lock (_gate) return [.. _frames];
        }
    }

    /// <summary>Flips the last bit of the next media frame the relay delivers (inside the SFrame tag).</summary>
    public void TamperWithNext() => Interlocked.Exchange(ref _tamperNext, 1);

    /// <summary>Delivers <paramref name="frame"/> to the device as if the relay had forwarded it.</summary>
    public void Deliver(byte[] frame) => _toDevice?.Writer.TryWrite(Framed(frame));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var isMedia = request.RequestUri?.AbsolutePath.EndsWith("/media", StringComparison.Ordinal) == true;
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols || !isMedia) return response;
        var relay = await response.Content.ReadAsStreamAsync(cancellationToken);
        var toDevice = Channel.CreateUnbounded<byte[]>();
        _toDevice = toDevice;
        response.Content = new UpgradedContent(new TappedStream(relay, toDevice.Reader, keepDeviceInCall));
        _ = ForwardAsync(relay, toDevice.Writer);
        return response;
    }

    /// <summary>Relay → device, frame by frame: record media, tamper when asked, and hold back the relay's close when keeping the device.</summary>
    private async Task ForwardAsync(Stream relay, ChannelWriter<byte[]> toDevice)
    {
        try
        {
            while (await ReadFrameAsync(relay) is { } frame)
            {
                var (opcode, payload) = (frame[0] & 0x0F, PayloadOffset(frame));
                if (opcode == Close)
                {
                    RelayClosedWith = frame.Length >= payload + 2 ? BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(payload)) : null;
                    if (keepDeviceInCall) return;
                }

                if (opcode == Binary)
                {
                    if (Interlocked.Exchange(ref _tamperNext, 0) == 1 && frame.Length > payload) frame[^1] ^= 0x01;
                    lock (_gate) _frames.Add(frame[payload..]);
                }

                toDevice.TryWrite(frame);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The relay's side of the connection is gone.
        }

        if (!keepDeviceInCall) toDevice.TryComplete();
    }

    private static async Task<byte[]?> ReadFrameAsync(Stream stream)
    {
        var head = new byte[14];
        if (await stream.ReadAtLeastAsync(head.AsMemory(0, 2), 2, throwOnEndOfStream: false) < 2) return null;
        long length = head[1] & 0x7F;
        var size = 2;
        if (length == 126)
        {
            await stream.ReadExactlyAsync(head.AsMemory(2, 2));
            length = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(2));
            size = 4;
        }
        else if (length == 127)
        {
            await stream.ReadExactlyAsync(head.AsMemory(2, 8));
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(head.AsSpan(2));
            size = 10;
        }

        if ((head[1] & 0x80) != 0)
        {
            await stream.ReadExactlyAsync(head.AsMemory(size, 4));
            size += 4;
        }

        if (length > 1 << 20) throw new IOException("A WebSocket frame over 1 MiB on the media path.");
        var frame = new byte[size + length];
        head.AsSpan(0, size).CopyTo(frame);
        await stream.ReadExactlyAsync(frame.AsMemory(size));
        return frame;
    }

    /// <summary>Where an unmasked frame's payload starts (the relay's frames are never masked, RFC 6455 §5.1).</summary>
    private static int PayloadOffset(byte[] frame) => (frame[1] & 0x7F) switch
    {
        126 => 4,
        127 => 10,
        _ => 2,
    };

    /// <summary>A final, unmasked binary WebSocket frame around <paramref name="payload"/>, as a server sends it.</summary>
    private static byte[] Framed(byte[] payload)
    {
        var size = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[size + payload.Length];
        frame[0] = 0x80 | Binary;
        if (size == 2)
        {
            frame[1] = (byte)payload.Length;
        }
        else if (size == 4)
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        payload.CopyTo(frame, size);
        return frame;
    }

    /// <summary>The upgraded connection handed to the device's WebSocket: reads come from the path, writes go to the relay.</summary>
    private sealed class TappedStream(Stream relay, ChannelReader<byte[]> fromPath, bool swallowRelayErrors) : Stream
    {
        private readonly CancellationTokenSource _disposed = new();
        private byte[] _current = [];
        private int _offset;

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset == _current.Length)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
                try
                {
                    if (!await fromPath.WaitToReadAsync(linked.Token) || !fromPath.TryRead(out var next)) return 0;
                    (_current, _offset) = (next, 0);
                }
                catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
                {
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsMemory(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await relay.WriteAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (swallowRelayErrors && e is IOException or ObjectDisposedException)
            {
                // The relay dropped the device; the path keeps it believing it is still in the call.
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            try
            {
                await relay.FlushAsync(cancellationToken);
            }
            catch (Exception e) when (swallowRelayErrors && e is IOException or ObjectDisposedException)
            {
                // As for writes.
            }
        }

        public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _disposed.Cancel();
                relay.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The 101 response's content: the upgraded connection itself, readable and writable.</summary>
    private sealed class UpgradedContent(Stream connection) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => throw new NotSupportedException();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => connection;

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(connection);
    }
}
