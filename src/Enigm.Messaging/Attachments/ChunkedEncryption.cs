using System.Buffers;
using System.Security.Cryptography;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// Streaming encryption and decryption of c2sp.org/chunked-encryption (Cobblestone-256: AES-256-GCM,
/// HKDF-Expand SHA-512). Ciphertext = salt (24) ‖ commitment (32) ‖ AEAD chunks; plaintext is cut into
/// 16 KiB chunks and the final chunk is always shorter (possibly empty), which is the end-of-message
/// signal ("Message chunking"). Memory is one chunk in each direction, whatever the message length.
/// </summary>
internal static class ChunkedEncryption
{
    public const int ChunkSize = 16 * 1024;
    public const int TagSize = 16;
    public const int SealedChunkSize = ChunkSize + TagSize;

    /// <summary>"Message chunking": the chunk counter must stay below 2^38.</summary>
    public const long MaxChunks = 1L << 38;

    /// <summary>The ciphertext length for a plaintext length (header, full chunks, short final chunk).</summary>
    public static long CiphertextLength(long plaintextLength) =>
        ChunkedEncryptionKeys.HeaderSize + (plaintextLength / ChunkSize * SealedChunkSize) + (plaintextLength % ChunkSize) + TagSize;

    /// <summary>Encrypts <paramref name="plaintext"/> to its end; returns the number of plaintext bytes.</summary>
    public static long Encrypt(ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> context, Stream plaintext, Stream ciphertext)
    {
        using var buffer = InlineCiphertextDigest.WithoutHash();
        return Encrypt(inputKey, context, plaintext, ciphertext, buffer);
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> to its end through <paramref name="digest"/>'s buffers, which see every
    /// ciphertext byte in order (the attachment digest); returns the number of plaintext bytes.
    /// </summary>
    public static long Encrypt(
        ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> context, Stream plaintext, Stream ciphertext,
        ICiphertextDigest digest, CancellationToken cancellation = default)
    {
        Span<byte> salt = stackalloc byte[ChunkedEncryptionKeys.SaltSize];
        RandomNumberGenerator.Fill(salt); // "salt … SHOULD be randomly generated"
        return Encrypt(inputKey, context, salt, plaintext, ciphertext, digest, cancellation);
    }

    /// <summary>
    /// The same with the caller's salt. Each chunk is read into the digest's buffer, sealed in place with its tag
    /// behind it and written with one call: one buffer, no copy between the plaintext and the ciphertext.
    /// </summary>
    internal static long Encrypt(
        ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> context, ReadOnlySpan<byte> salt, Stream plaintext, Stream ciphertext,
        ICiphertextDigest digest, CancellationToken cancellation = default)
    {
        ChunkedEncryptionKeys.CheckInputKey(inputKey);
        Span<byte> aeadKey = stackalloc byte[ChunkedEncryptionKeys.KeySize];
        Span<byte> baseNonce = stackalloc byte[ChunkedEncryptionKeys.NonceSize];
        Span<byte> commitment = stackalloc byte[ChunkedEncryptionKeys.CommitmentSize];
        Span<byte> nonce = stackalloc byte[ChunkedEncryptionKeys.NonceSize];
        try
        {
            ChunkedEncryptionKeys.Derive(inputKey, salt, context, aeadKey, baseNonce, commitment);
            using var aes = new AesGcm(aeadKey, TagSize);
            var header = digest.Reserve(ChunkedEncryptionKeys.HeaderSize);
            salt.CopyTo(header);
            commitment.CopyTo(header[ChunkedEncryptionKeys.SaltSize..]);
            ciphertext.Write(header);
            digest.Commit(header.Length);
            long total = 0;
            for (long index = 0; ; index++)
            {
                if (index >= MaxChunks)
                    throw new AttachmentTooLargeException($"A message is limited to {MaxChunks} chunks.");
                cancellation.ThrowIfCancellationRequested();
                var chunk = digest.Reserve(SealedChunkSize);
                var read = plaintext.ReadAtLeast(chunk[..ChunkSize], ChunkSize, throwOnEndOfStream: false);
                ChunkedEncryptionKeys.ChunkNonce(baseNonce, index, nonce);
                var body = chunk[..read];
                aes.Encrypt(nonce, body, body, chunk.Slice(read, TagSize)); // in place; AAD empty ("AEAD usage")
                ciphertext.Write(chunk[..(read + TagSize)]);
                digest.Commit(read + TagSize);
                total += read;
                if (read < ChunkSize)
                    return total; // the short (possibly empty) final chunk is written
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aeadKey);
            CryptographicOperations.ZeroMemory(baseNonce);
        }
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> to its end into <paramref name="plaintext"/>; returns the number
    /// of plaintext bytes. The commitment is checked before any chunk ("Key derivation"); each chunk's
    /// plaintext is written only after its tag verifies, so on failure the output holds at most the
    /// verified prefix (C2SP allows this for streaming) and the caller must discard it: the message is
    /// authentic only when this method returns.
    /// </summary>
    public static long Decrypt(ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> context, Stream ciphertext, Stream plaintext)
    {
        using var buffer = InlineCiphertextDigest.WithoutHash();
        return Decrypt(inputKey, context, ciphertext, plaintext, buffer);
    }

    /// <summary>
    /// The same, reading each sealed chunk into <paramref name="digest"/>'s buffer, which so sees every ciphertext
    /// byte in order (committed before the chunk is opened, so a pipelined digest hashes while this thread decrypts).
    /// </summary>
    public static long Decrypt(
        ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> context, Stream ciphertext, Stream plaintext,
        ICiphertextDigest digest, CancellationToken cancellation = default)
    {
        ChunkedEncryptionKeys.CheckInputKey(inputKey);
        Span<byte> header = stackalloc byte[ChunkedEncryptionKeys.HeaderSize];
        var headerBuffer = digest.Reserve(header.Length);
        if (ciphertext.ReadAtLeast(headerBuffer, header.Length, throwOnEndOfStream: false) < header.Length)
            throw new AttachmentTruncatedException("The ciphertext is shorter than its 56-byte header.");
        headerBuffer.CopyTo(header);
        digest.Commit(header.Length);

        Span<byte> aeadKey = stackalloc byte[ChunkedEncryptionKeys.KeySize];
        Span<byte> baseNonce = stackalloc byte[ChunkedEncryptionKeys.NonceSize];
        Span<byte> commitment = stackalloc byte[ChunkedEncryptionKeys.CommitmentSize];
        Span<byte> nonce = stackalloc byte[ChunkedEncryptionKeys.NonceSize];
        var opened = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            ChunkedEncryptionKeys.Derive(inputKey, header[..ChunkedEncryptionKeys.SaltSize], context, aeadKey, baseNonce, commitment);
            if (!CryptographicOperations.FixedTimeEquals(commitment, header[ChunkedEncryptionKeys.SaltSize..]))
                throw new AttachmentKeyMismatchException("The key commitment does not match: wrong key or context, or a modified header.");

            using var aes = new AesGcm(aeadKey, TagSize);
            long total = 0;
            for (long index = 0; ; index++)
            {
                if (index >= MaxChunks)
                    throw new AttachmentTooLargeException($"A message is limited to {MaxChunks} chunks.");
                cancellation.ThrowIfCancellationRequested();
                var sealedChunk = digest.Reserve(SealedChunkSize);
                // A full sealed chunk is never final; a shorter read (end of stream) is the final chunk.
                var read = ciphertext.ReadAtLeast(sealedChunk, SealedChunkSize, throwOnEndOfStream: false);
                if (read < TagSize)
                    throw new AttachmentTruncatedException(
                        $"The ciphertext ends after {index} chunks without its short final chunk.");
                digest.Commit(read);
                var length = read - TagSize;
                ChunkedEncryptionKeys.ChunkNonce(baseNonce, index, nonce);
                try
                {
                    aes.Decrypt(nonce, sealedChunk[..length], sealedChunk.Slice(length, TagSize), opened.AsSpan(0, length));
                }
                catch (AuthenticationTagMismatchException e)
                {
                    throw new AttachmentCorruptException(
                        $"Chunk {index} failed authentication (modified, reordered, spliced or followed by extra data).", e);
                }
                plaintext.Write(opened, 0, length);
                total += length;
                if (read < SealedChunkSize)
                    return total;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(aeadKey);
            CryptographicOperations.ZeroMemory(baseNonce);
            CryptographicOperations.ZeroMemory(opened.AsSpan(0, ChunkSize));
            ArrayPool<byte>.Shared.Return(opened);
        }
    }
}
