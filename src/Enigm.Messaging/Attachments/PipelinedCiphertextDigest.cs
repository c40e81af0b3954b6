using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// The attachment digest computed on a second core while the caller seals (or opens) the next chunks: SHA-256 at
/// ≈ 1.5 GB/s costs twice AES-256-GCM here, so on one thread the hash is two thirds of the work
/// (docs/attachments.md, "The pipeline"). Same SHA-256 over the same bytes in the same order; only the schedule
/// changes.
/// <para>
/// Memory is a ring of <see cref="SlotCount"/> pooled slots of <see cref="SlotSize"/> bytes, whatever the stream's
/// length; they are zeroed before they go back to the pool (a slot holds plaintext until it is sealed in place).
/// The caller fills slot k+1 while the worker hashes slot k. SHA-256 is sequential, so slots are hashed strictly in
/// order, a sealed chunk at a time under <c>_hashLock</c>, by whichever thread gets there: the worker (a thread-pool item,
/// started on the first hand-over, so an attachment smaller than a slot never starts one) or the caller itself when
/// it needs a slot back and the worker is not hashing. The caller therefore never waits for the worker to be
/// scheduled: on a busy or one-core machine it simply does the hashing, as the inline digest would.
/// </para>
/// A failure while hashing is kept and rethrown on the caller's thread (as itself, not wrapped) at its next
/// <see cref="Reserve"/> or <see cref="Finish"/>; cancellation is checked while the caller waits for a slot; after
/// <see cref="Dispose"/> the worker hashes nothing more and touches no buffer.
/// </summary>
internal sealed class PipelinedCiphertextDigest : ICiphertextDigest
{
    /// <summary>Four sealed chunks and the 56-byte header: 16 hand-overs per MiB.</summary>
    public const int SlotSize = (4 * ChunkedEncryption.SealedChunkSize) + ChunkedEncryptionKeys.HeaderSize;

    public const int SlotCount = 4;

    /// <summary>How long the worker polls for the next slot before it returns its thread to the pool.</summary>
    private const int WorkerIdleSpins = 200;

    private readonly ISequentialHash _hash;
    private readonly CancellationToken _cancellation;
    private readonly byte[]?[] _slots = new byte[SlotCount][];
    private readonly int[] _lengths = new int[SlotCount];
    private readonly Lock _hashLock = new();

    private long _filled; // slots handed over (written by the caller only)
    private long _hashed; // slots hashed (written under _hashLock only)
    private int _hashOffset; // bytes of slot _hashed already hashed (under _hashLock)
    private int _offset; // bytes committed in the slot being filled
    private int _reserved;
    private int _workerActive;
    private bool _closed; // under _hashLock
    private Exception? _failure; // under _hashLock

    public PipelinedCiphertextDigest(CancellationToken cancellation = default, ISequentialHash? hash = null)
    {
        _hash = hash ?? new Sha256SequentialHash();
        _cancellation = cancellation;
    }

    public Span<byte> Reserve(int size)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, ChunkedEncryption.SealedChunkSize);
        ThrowIfFailedOrClosed();
        _cancellation.ThrowIfCancellationRequested();
        if (_offset + size > SlotSize) HandOver();
        if (_offset == 0) WaitForFreeSlot();
        var index = (int)(_filled % SlotCount);
        var slot = _slots[index] ??= ArrayPool<byte>.Shared.Rent(SlotSize);
        _reserved = size;
        return slot.AsSpan(_offset, size);
    }

    public void Commit(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _reserved);
        _offset += length;
        _reserved = 0;
    }

    public byte[] Finish()
    {
        ThrowIfFailedOrClosed();
        if (_offset > 0) HandOver(wakeWorker: false);
        lock (_hashLock)
        {
            // Waits for the worker's slot in progress, then hashes what is left here: the end of the stream
            // is not worth another hand-over.
            while (_failure is null && _hashed < _filled) HashNext();
            _closed = true;
            if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
            return _hash.Final();
        }
    }

    public void Dispose()
    {
        lock (_hashLock)
        {
            // Taking the lock waits for a slot being hashed; after this the worker finds _closed and stops.
            _closed = true;
            for (var i = 0; i < SlotCount; i++)
            {
                if (_slots[i] is not { } slot) continue;
                CryptographicOperations.ZeroMemory(slot.AsSpan(0, SlotSize));
                ArrayPool<byte>.Shared.Return(slot);
                _slots[i] = null;
            }

            _hash.Dispose();
        }
    }

    private void HandOver(bool wakeWorker = true)
    {
        _lengths[(int)(_filled % SlotCount)] = _offset;
        _offset = 0;
        Volatile.Write(ref _filled, _filled + 1);
        if (wakeWorker && Interlocked.CompareExchange(ref _workerActive, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static digest => digest.Work(), this, preferLocal: false);
    }

    /// <summary>The slot to fill next is free once every slot handed over before it, a ring ago, is hashed.</summary>
    private void WaitForFreeSlot()
    {
        var spinner = default(SpinWait);
        while (_filled - Volatile.Read(ref _hashed) >= SlotCount)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (_hashLock.TryEnter())
            {
                // The worker is between slots, descheduled or not started: hash the oldest slot here.
                try
                {
                    if (_failure is null && _hashed < _filled) HashNext();
                    if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
                }
                finally
                {
                    _hashLock.Exit();
                }
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1); // the worker is hashing a slot (tens of µs): never sleep 1 ms
            }
        }
    }

    private void Work()
    {
        var idle = 0;
        while (true)
        {
            var hashedOne = false;
            lock (_hashLock)
            {
                if (_closed || _failure is not null)
                {
                    Volatile.Write(ref _workerActive, 0);
                    return;
                }

                if (_hashed < Volatile.Read(ref _filled))
                {
                    HashNext();
                    hashedOne = true;
                }
            }

            if (hashedOne)
            {
                idle = 0;
                continue;
            }

            if (idle++ < WorkerIdleSpins)
            {
                Thread.SpinWait(20);
                continue;
            }

            Volatile.Write(ref _workerActive, 0);
            // A hand-over between the last check and the flag's reset found the worker active and queued nothing.
            if (Volatile.Read(ref _hashed) < Volatile.Read(ref _filled) && Interlocked.CompareExchange(ref _workerActive, 1, 0) == 0)
                continue;
            return;
        }
    }

    /// <summary>
    /// Hashes the next piece (at most one sealed chunk) of the oldest slot not yet hashed; the caller holds
    /// <c>_hashLock</c>. Pieces, not whole slots, keep the lock short: a worker descheduled while it holds the lock
    /// stalls the caller, so the less time it spends holding it, the less often that happens on a busy machine.
    /// A failure is kept, not thrown.
    /// </summary>
    private void HashNext()
    {
        var index = (int)(_hashed % SlotCount);
        try
        {
            var piece = Math.Min(_lengths[index] - _hashOffset, ChunkedEncryption.SealedChunkSize + ChunkedEncryptionKeys.HeaderSize);
            _hash.Append(_slots[index].AsSpan(_hashOffset, piece));
            _hashOffset += piece;
            if (_hashOffset < _lengths[index]) return;
            _hashOffset = 0;
            Volatile.Write(ref _hashed, _hashed + 1);
        }
        catch (Exception e)
        {
            Volatile.Write(ref _failure, e);
        }
    }

    /// <summary>Read without the lock: taking it on every chunk would wait for the slot the worker is hashing.</summary>
    private void ThrowIfFailedOrClosed()
    {
        if (Volatile.Read(ref _failure) is { } failure) ExceptionDispatchInfo.Throw(failure);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed), this);
    }
}
