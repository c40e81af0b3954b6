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

    /// <summary>Encrypts <paramref name="plaintext"/> (read to its end) into <paramref name="ciphertext"/>.</summary>
    public static AttachmentPointer Encrypt(Stream plaintext, Stream ciphertext, string contentType)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var key = RandomNumberGenerator.GetBytes(ChunkedEncryptionKeys.KeySize);
        using var hashing = new HashingWriteStream(ciphertext);
        var length = ChunkedEncryption.Encrypt(key, Context, plaintext, hashing);
        var pointer = new AttachmentPointer(key, hashing.Digest(), length, contentType);
        AttachmentPointerEncoding.Encode(pointer); // validates the content type and length before the pointer leaves
        return pointer;
    }

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/> and checks it against the
    /// pointer: never more ciphertext than the pointer's length implies, then the length and the SHA-256
    /// digest. Every chunk is authenticated before its plaintext is written; if this method throws, the
    /// output holds at most a verified prefix and must be discarded.
    /// </summary>
    public static void Decrypt(AttachmentPointer pointer, Stream ciphertext, Stream plaintext)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var expected = pointer.CiphertextLength;
        using var guard = new CiphertextGuardStream(ciphertext, expected);
        var length = ChunkedEncryption.Decrypt(pointer.Key.Span, Context, guard, plaintext);
        if (length != pointer.Length || guard.BytesRead != expected)
            throw new AttachmentLengthMismatchException(
                $"The attachment is {length} bytes; its pointer announces {pointer.Length}.");
        if (!CryptographicOperations.FixedTimeEquals(guard.Digest(), pointer.Digest.Span))
            throw new AttachmentDigestMismatchException("The ciphertext's SHA-256 digest does not match the attachment pointer.");
    }
}
