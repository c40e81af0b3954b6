using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// A read-only view of a stream that fails with <see cref="LengthExceededException"/> once more than
/// the allowed number of bytes arrived (the endless data attack), and turns I/O failures of the
/// underlying source into <see cref="RepositoryException"/>.
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, string name, long maxLength, IDisposable? owner = null) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Ask for one byte more than allowed so that an over-long source is noticed without
        // reading more than maxLength + 1 bytes of it.
        var allowed = maxLength - _read + 1;
        if (allowed < buffer.Length) buffer = buffer[..(int)allowed];
        int n;
        try
        {
            n = inner.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            throw new RepositoryException($"Reading {name} failed: {e.Message}", e);
        }

        _read += n;
        if (_read > maxLength) throw new LengthExceededException(name, maxLength);
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads the whole (bounded) stream into memory: for metadata, which is small.</summary>
    internal static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer, 64 * 1024);
        return buffer.ToArray();
    }
}
