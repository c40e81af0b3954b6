using System.Security.Cryptography;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// The SHA-256 of an attachment's ciphertext (docs/attachments.md, "Why the pointer carries a SHA-256 of the
/// ciphertext"), fed through buffers it owns so that chunked encryption can seal a chunk in place and hand the
/// same bytes to the hash without another copy. The caller reserves room, fills it with ciphertext (in stream
/// order) and commits how much it wrote; the digest covers exactly the committed bytes, in order.
/// <see cref="InlineCiphertextDigest"/> hashes on commit; <see cref="PipelinedCiphertextDigest"/> hashes on a
/// second core while the caller seals the next chunks. Both give the same digest for the same bytes.
/// </summary>
internal interface ICiphertextDigest : IDisposable
{
    /// <summary>
    /// Room for <paramref name="size"/> bytes of ciphertext (at most <see cref="ChunkedEncryption.SealedChunkSize"/>).
    /// Valid until the next call to <see cref="Reserve"/> or <see cref="Finish"/>; its earlier content is undefined.
    /// </summary>
    Span<byte> Reserve(int size);

    /// <summary>The first <paramref name="length"/> bytes of the last reserved span are the next ciphertext bytes.</summary>
    void Commit(int length);

    /// <summary>The SHA-256 of everything committed (waits for the hashing to finish, rethrows its failure).</summary>
    byte[] Finish();
}

/// <summary>
/// The hash the digests feed: SHA-256 through <see cref="IncrementalHash"/> in production. An interface so that a
/// failing hash can be handed in to show how a failure on the hashing thread reaches the caller.
/// </summary>
internal interface ISequentialHash : IDisposable
{
    void Append(ReadOnlySpan<byte> data);

    byte[] Final();
}

/// <summary>SHA-256 (FIPS 180-4) through the BCL's incremental hash (OpenSSL, SHA-NI where the CPU has it).</summary>
internal sealed class Sha256SequentialHash : ISequentialHash
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public byte[] Final() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();
}
