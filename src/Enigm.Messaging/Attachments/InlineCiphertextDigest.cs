using System.Security.Cryptography;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// The one-thread digest: one sealed-chunk buffer, hashed on every commit on the caller's thread. Used for small
/// attachments and on one-core machines (<see cref="CiphertextDigests.For"/>).
/// </summary>
internal sealed class InlineCiphertextDigest(ISequentialHash? hash = null) : ICiphertextDigest
{
    private readonly ISequentialHash _hash = hash ?? new Sha256SequentialHash();
    private readonly byte[] _buffer = new byte[ChunkedEncryption.SealedChunkSize];
    private bool _finished;

    public Span<byte> Reserve(int size)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        return _buffer.AsSpan(0, size);
    }

    public void Commit(int length) => _hash.Append(_buffer.AsSpan(0, length));

    public byte[] Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        return _hash.Final();
    }

    /// <summary>The chunk buffer alone, hashing nothing: for callers of the bare C2SP construction (vectors, fuzzing).</summary>
    public static InlineCiphertextDigest WithoutHash() => new(new NoHash());

    public void Dispose()
    {
        _finished = true;
        CryptographicOperations.ZeroMemory(_buffer); // it held plaintext before it was sealed in place
        _hash.Dispose();
    }

    private sealed class NoHash : ISequentialHash
    {
        public void Append(ReadOnlySpan<byte> data)
        {
        }

        public byte[] Final() => [];

        public void Dispose()
        {
        }
    }
}
