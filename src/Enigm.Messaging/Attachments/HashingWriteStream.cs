namespace Enigm.Messaging.Attachments;

/// <summary>
/// Passes written bytes to <c>inner</c> while hashing them with SHA-256 (the attachment digest) on a second
/// thread (<see cref="BackgroundSha256"/>), so that encryption and hashing overlap.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : Stream
{
    private readonly BackgroundSha256 hash = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public byte[] Digest() => hash.Digest();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        hash.Append(buffer);
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) hash.Dispose();
        base.Dispose(disposing);
    }
}
