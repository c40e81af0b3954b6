using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// SHA-256 of a byte stream computed on a second thread while the caller's thread goes on with AES-GCM:
/// the attachment digest costs twice the AEAD on its own (SHA-256 at 1.5 GB/s with SHA-NI against
/// AES-256-GCM at 3.2 GB/s here, docs/benchmarks.md "Attachments"), and a client has two cores. The digest is
/// the same SHA-256 over the same bytes in the same order as a single-threaded hash; only the schedule
/// changes. Memory is bounded: at most <see cref="MaxQueued"/> copies of written pieces (a 16 KiB chunk and its 16-byte tag are two) wait for the hasher,
/// and the producer blocks when the queue is full.
/// </summary>
internal sealed class BackgroundSha256 : IDisposable
{
    private const int MaxQueued = 64;

    private readonly BlockingCollection<(byte[] Buffer, int Length)> _queue = new(MaxQueued);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Task _hasher;
    private byte[]? _digest;

    public BackgroundSha256() =>
        _hasher = Task.Run(HashQueued);

    /// <summary>Queues a copy of <paramref name="data"/> (the caller may reuse its buffer at once).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        ObjectDisposedException.ThrowIf(_digest is not null, this);
        var copy = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(copy);
        try
        {
            _queue.Add((copy, data.Length));
        }
        catch (InvalidOperationException)
        {
            // The hasher stopped (it only stops on an error, rethrown by Digest()).
            ArrayPool<byte>.Shared.Return(copy);
            Digest();
            throw;
        }
    }

    /// <summary>Waits for every queued piece and returns the digest; later calls return the same digest.</summary>
    public byte[] Digest()
    {
        if (_digest is not null) return (byte[])_digest.Clone();
        _queue.CompleteAdding();
        _hasher.GetAwaiter().GetResult();
        _digest = _hash.GetHashAndReset();
        return (byte[])_digest.Clone();
    }

    public void Dispose()
    {
        if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        try
        {
            _hasher.Wait();
        }
        catch (AggregateException)
        {
            // Already surfaced by Digest() or irrelevant once the caller gave up on the attachment.
        }

        _queue.Dispose();
        _hash.Dispose();
    }

    private void HashQueued()
    {
        foreach (var (buffer, length) in _queue.GetConsumingEnumerable())
        {
            _hash.AppendData(buffer, 0, length);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
