using Enigm.Crypto.Errors;

namespace Enigm.Keys.Errors;

/// <summary>The passphrase (or other protector secret) does not unlock the store. Nothing was changed.</summary>
public sealed class WrongPassphraseException()
    : EnigmException("wrong-passphrase", "The passphrase does not unlock this key store; nothing was changed.");

/// <summary>No key with this id (or version) exists in the store.</summary>
public sealed class KeyNotFoundException(string keyId)
    : EnigmException("key-not-found", $"No key '{keyId}' in this store.")
{
    public string KeyId { get; } = keyId;
}

/// <summary>A lifecycle transition that NIST SP 800-57 (and the store's state machine) forbids.</summary>
public sealed class IllegalKeyTransitionException(string keyId, string from, string to)
    : EnigmException("illegal-transition", $"Key '{keyId}' cannot go from {from} to {to}.")
{
    public string KeyId { get; } = keyId;
}

/// <summary>The key's state (or expired grace window) does not allow this operation.</summary>
public sealed class KeyUsageDeniedException(string keyId, string usage, string reason)
    : EnigmException("key-usage-denied", $"Key '{keyId}' may not be used to {usage}: {reason}.")
{
    public string KeyId { get; } = keyId;
}

/// <summary>A stored row failed authentication (edited, swapped or replayed). Other keys remain usable.</summary>
public sealed class KeyIntegrityException(string keyId, string detail)
    : EnigmException("key-integrity", $"Stored key '{keyId}' failed its integrity check: {detail}.")
{
    public string KeyId { get; } = keyId;
}

/// <summary>The protector (TPM, OS key store) is not present or not usable here.</summary>
public sealed class ProtectorUnavailableException(string protector, string reason)
    : EnigmException("protector-unavailable", $"Protector '{protector}' is unavailable: {reason}.");

/// <summary>The store file is missing, of an unknown schema version, or already initialised.</summary>
public sealed class KeyStoreException(string message, Exception? inner = null)
    : EnigmException("key-store", message, inner);

/// <summary>The audit log does not verify; <see cref="Position"/> is the first bad entry (1-based sequence).</summary>
public sealed class AuditLogTamperedException(long position, string detail)
    : EnigmException("audit-tampered", $"Audit log fails verification at entry {position}: {detail}.")
{
    public long Position { get; } = position;
}

/// <summary>A revocation statement is malformed, not signed by its authority, or about another key.</summary>
public sealed class RevocationInvalidException(string detail)
    : EnigmException("revocation-invalid", $"Revocation statement rejected: {detail}.");

/// <summary>
/// The new passphrase is empty or too weak for the Argon2id costs it protects the store with
/// (docs/keys.md, "Passphrase strength"). Nothing was created or changed.
/// </summary>
public sealed class WeakPassphraseException(string detail)
    : EnigmException("weak-passphrase", $"Passphrase refused: {detail}; nothing was changed.");
