namespace Enigm.Ota.Client;

/// <summary>
/// The shared shape of the client's download guards (<see cref="LengthLimitedStream"/>,
/// <see cref="TransferDeadlineStream"/>): a forward-only, read-only view of <see cref="Inner"/> whose
/// position is the number of bytes handed out, and which disposes the inner stream and its owner
/// (the HTTP response, say) with itself. Subclasses implement only <see cref="Read(Span{byte})"/>.
/// </summary>
internal abstract class ReadOnlyWrapperStream(Stream inner, IDisposable? owner) : Stream
{
    protected Stream Inner { get; } = inner;

    /// <summary>Bytes handed out so far; subclasses add what each read returns.</summary>
    protected long BytesRead { get; set; }

    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
            owner?.Dispose();
        }

        base.Dispose(disposing);
    }
}
