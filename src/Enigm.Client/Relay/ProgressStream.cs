namespace Enigm.Client.Relay;

/// <summary>A read-only or write-only pass-through stream that reports bytes moved to an <see cref="IProgress{T}"/> (at most every 64 KiB and at the end).</summary>
internal sealed class ProgressStream(Stream inner, long total, IProgress<TransferProgress>? progress, bool leaveOpen = false) : Stream
{
    private const long ReportEvery = 64 * 1024;
    private long _moved;
    private long _reported = -1;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => total;

    public override long Position
    {
        get => _moved;
        set => throw new NotSupportedException();
    }

    public long Moved => _moved;

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        Count(count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Count(buffer.Length);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken);
        Count(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Reports the final count even when it fell between two report points.</summary>
    public void Complete()
    {
        if (_reported != _moved) progress?.Report(new TransferProgress(_moved, total));
        _reported = _moved;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }

    private int Count(int moved)
    {
        if (moved <= 0) return moved;
        _moved += moved;
        if (_reported < 0 || _moved - _reported >= ReportEvery || _moved == total)
        {
            _reported = _moved;
            progress?.Report(new TransferProgress(_moved, total));
        }

        return moved;
    }
}
