using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// SHA-256 of a byte stream computed on a second thread while the caller's thread goes on with AES-GCM:
/// the attachment digest costs twice the AEAD on its own (SHA-256 at 1.5 GB/s with SHA-NI against
/// AES-256-GCM at 3.2 GB/s here, docs/benchmarks.md "Attachments"), and a client has two cores. The digest is
/// the same SHA-256 over the same bytes in the same order as a single-threaded hash; only the schedule
/// changes. Written bytes are copied into 256 KiB batches and a batch is handed over only when full (or at the
/// end), so a 1 MiB attachment costs four hand-overs, not 128: each wake-up of the hasher is a scheduling delay on
/// a busy machine. Memory is bounded: at most <see cref="MaxQueued"/> batches wait for the hasher, and the
/// producer blocks when the queue is full.
/// </summary>
internal sealed class BackgroundSha256 : IDisposable
{
    private const int MaxQueued = 4;
    private const int BatchSize = 256 * 1024;

    private readonly BlockingCollection<(byte[] Buffer, int Length)> _queue = new(MaxQueued);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Task _hasher;
    private byte[]? _digest;
    private byte[]? _batch;
    private int _batchLength;

    // A dedicated thread, not the thread pool: the producer blocks when the queue is full, and callers on pool
    // threads blocking on pool work could starve the pool. One thread start (≈ 0.1 ms) per attachment.
    public BackgroundSha256() =>
        _hasher = Task.Factory.StartNew(HashQueued, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Copies <paramref name="data"/> for the hasher (the caller may reuse its buffer at once).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_digest is not null, this);
        while (!data.IsEmpty)
        {
            _batch ??= ArrayPool<byte>.Shared.Rent(BatchSize);
            var take = Math.Min(data.Length, BatchSize - _batchLength);
            data[..take].CopyTo(_batch.AsSpan(_batchLength));
            _batchLength += take;
            data = data[take..];
            if (_batchLength == BatchSize) HandOver();
        }
    }

    /// <summary>Waits for every queued piece and returns the digest; later calls return the same digest.</summary>
    public byte[] Digest()
    {
        if (_digest is not null) return (byte[])_digest.Clone();
        if (_batchLength > 0) HandOver();
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
        if (_batch is not null) ArrayPool<byte>.Shared.Return(_batch);
    }

    private void HandOver()
    {
        var (batch, length) = (_batch!, _batchLength);
        (_batch, _batchLength) = (null, 0);
        try
        {
            _queue.Add((batch, length));
        }
        catch (InvalidOperationException)
        {
            // The hasher stopped (it only stops on an error, rethrown by Digest()).
            ArrayPool<byte>.Shared.Return(batch);
            Digest();
            throw;
        }
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
