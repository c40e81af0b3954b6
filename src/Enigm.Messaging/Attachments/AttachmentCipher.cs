using System.Security.Cryptography;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// Encrypts and decrypts attachments (docs/attachments.md): a fresh random 32-byte key per attachment
/// from the OS CSPRNG, c2sp.org/chunked-encryption with AES-256-GCM under the context
/// <c>"enigm/attachment/v1"</c>, and an <see cref="AttachmentPointer"/> (key, SHA-256 of the ciphertext,
/// length, content type) for the message to carry. Both directions stream in one chunk of memory.
/// </summary>
public static class AttachmentCipher
{
    private static readonly byte[] Context = "enigm/attachment/v1"u8.ToArray();

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> (read to its end) into <paramref name="ciphertext"/>. On a machine with
    /// more than one core a large attachment's digest is hashed on a second core while this thread encrypts
    /// (<see cref="CiphertextDigests"/>); the output is the same either way. Cancellation is checked between chunks
    /// (<see cref="OperationCanceledException"/>); the ciphertext written so far must then be discarded.
    /// </summary>
    public static AttachmentPointer Encrypt(Stream plaintext, Stream ciphertext, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var key = RandomNumberGenerator.GetBytes(ChunkedEncryptionKeys.KeySize);
        using var digest = CiphertextDigests.For(RemainingCiphertextLength(plaintext), cancellationToken);
        var length = ChunkedEncryption.Encrypt(key, Context, plaintext, ciphertext, digest, cancellationToken);
        var pointer = new AttachmentPointer(key, digest.Finish(), length, contentType);
        AttachmentPointerEncoding.Encode(pointer); // validates the content type and length before the pointer leaves
        return pointer;
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/> and checks it against the
    /// pointer: never more ciphertext than the pointer's length implies, then the length and the SHA-256
    /// digest. Every chunk is authenticated before its plaintext is written; if this method throws, the
    /// output holds at most a verified prefix and must be discarded. The digest may be computed on a second core
    /// while chunks are opened; this method still returns only after it has been compared.
    /// </summary>
    public static void Decrypt(AttachmentPointer pointer, Stream ciphertext, Stream plaintext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var expected = pointer.CiphertextLength;
        using var guard = new CiphertextGuardStream(ciphertext, expected);
        using var digest = CiphertextDigests.For(expected, cancellationToken);
        var length = ChunkedEncryption.Decrypt(pointer.Key.Span, Context, guard, plaintext, digest, cancellationToken);
        if (length != pointer.Length || guard.BytesRead != expected)
            throw new AttachmentLengthMismatchException(
                $"The attachment is {length} bytes; its pointer announces {pointer.Length}.");
        if (!CryptographicOperations.FixedTimeEquals(digest.Finish(), pointer.Digest.Span))
            throw new AttachmentDigestMismatchException("The ciphertext's SHA-256 digest does not match the attachment pointer.");
    }

    /// <summary>The ciphertext length a seekable plaintext will give; null when the stream cannot tell.</summary>
    private static long? RemainingCiphertextLength(Stream plaintext)
    {
        if (!plaintext.CanSeek) return null;
        try
        {
            return ChunkedEncryption.CiphertextLength(Math.Max(0, plaintext.Length - plaintext.Position));
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
