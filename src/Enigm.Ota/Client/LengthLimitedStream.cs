using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// A read-only view of a stream that fails with <see cref="LengthExceededException"/> once more than
/// the allowed number of bytes arrived (the endless data attack), and turns I/O failures of the
/// underlying source into <see cref="RepositoryException"/>.
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, string name, long maxLength, IDisposable? owner = null)
    : ReadOnlyWrapperStream(inner, owner)
{
    public override int Read(Span<byte> buffer)
    {
        // Ask for one byte more than allowed so that an over-long source is noticed without
        // reading more than maxLength + 1 bytes of it.
        var allowed = maxLength - BytesRead + 1;
        if (allowed < buffer.Length) buffer = buffer[..(int)allowed];
        int n;
        try
        {
            n = Inner.Read(buffer);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            throw new RepositoryException($"Reading {name} failed: {e.Message}", e);
        }

        BytesRead += n;
        if (BytesRead > maxLength) throw new LengthExceededException(name, maxLength);
        return n;
    }

    /// <summary>Reads the whole (bounded) stream into memory: for metadata, which is small.</summary>
    internal static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer, 64 * 1024);
        return buffer.ToArray();
    }
}
