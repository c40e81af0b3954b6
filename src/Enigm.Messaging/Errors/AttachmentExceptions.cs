namespace Enigm.Messaging.Errors;

/// <summary>The attachment key is not 32 bytes (AES-256-GCM's key size, c2sp.org/chunked-encryption "Key derivation").</summary>
public sealed class AttachmentKeyInvalidException(string message)
    : EnigmException("attachment-key-invalid", message);

/// <summary>
/// The key commitment in the ciphertext header does not match the key and context: the wrong key, the
/// wrong context, or a modified salt or commitment. Checked before any chunk is decrypted.
/// </summary>
public sealed class AttachmentKeyMismatchException(string message)
    : EnigmException("attachment-key-mismatch", message);

/// <summary>The ciphertext ends early: a partial header, a partial chunk, or no short final chunk.</summary>
public sealed class AttachmentTruncatedException(string message)
    : EnigmException("attachment-truncated", message);

/// <summary>
/// A chunk failed AES-GCM authentication at its index: modified bytes, reordered, duplicated or spliced
/// chunks, or data appended after the final chunk.
/// </summary>
public sealed class AttachmentCorruptException(string message, Exception? inner = null)
    : EnigmException("attachment-corrupt", message, inner);

/// <summary>The ciphertext is longer or shorter than the length the attachment pointer announces.</summary>
public sealed class AttachmentLengthMismatchException(string message)
    : EnigmException("attachment-length-mismatch", message);

/// <summary>The SHA-256 digest of the ciphertext differs from the one the attachment pointer carries.</summary>
public sealed class AttachmentDigestMismatchException(string message)
    : EnigmException("attachment-digest-mismatch", message);

/// <summary>The message exceeds the chunk-count limit (c2sp.org/chunked-encryption "Message chunking").</summary>
public sealed class AttachmentTooLargeException(string message)
    : EnigmException("attachment-too-large", message);
