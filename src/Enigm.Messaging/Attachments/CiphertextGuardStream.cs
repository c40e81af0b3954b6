using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// Wraps a stream of attachment ciphertext, counting what passes (the digest is computed by the
/// <see cref="ICiphertextDigest"/> the chunks are read into, see <see cref="ChunkedEncryption"/>). Reading
/// refuses to go past <c>limit</c> bytes: when the limit is reached it probes the source for one more
/// byte and throws <see cref="AttachmentLengthMismatchException"/> if any exists, so appended data is
/// detected without reading it all (bounded work against an oversized download).
/// </summary>
internal sealed class CiphertextGuardStream(Stream inner, long limit) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        var remaining = limit - BytesRead;
        if (remaining == 0)
        {
            Span<byte> probe = stackalloc byte[1];
            if (inner.Read(probe) != 0)
                throw new AttachmentLengthMismatchException($"The ciphertext is longer than the announced {limit} bytes.");
            return 0;
        }
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        BytesRead += read;
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
