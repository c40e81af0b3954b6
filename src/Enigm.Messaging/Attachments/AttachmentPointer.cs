namespace Enigm.Messaging.Attachments;

/// <summary>
/// What a message carries so that its recipient can fetch and open an attachment: the random 32-byte
/// attachment key (a secret: it travels only inside the end-to-end encrypted message), the SHA-256 digest
/// of the whole ciphertext, the plaintext length and a MIME content type. Encoded by
/// <see cref="AttachmentPointerEncoding"/>.
/// </summary>
public sealed record AttachmentPointer(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Digest, long Length, string ContentType)
{
    /// <summary>The ciphertext length the relay stores: 56-byte header plus 16 bytes of tag per chunk.</summary>
    public long CiphertextLength => ChunkedEncryption.CiphertextLength(Length);
}
