namespace Enigm.Crypto.Errors;

/// <summary>
/// Base of every failure Enigm.Crypto reports on purpose. Messages describe what happened and never
/// carry secret bytes. <see cref="Code"/> is a stable, machine-readable family name that the CLI maps
/// to an exit code.
/// </summary>
public abstract class EnigmCryptoException : Exception
{
    protected EnigmCryptoException(string code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    /// <summary>Stable family name such as <c>malformed-input</c> or <c>signature-invalid</c>.</summary>
    public string Code { get; }
}

/// <summary>Bytes that cannot be parsed: wrong length, bad encoding, trailing data, over the size limit.</summary>
public sealed class MalformedInputException(string message, Exception? inner = null)
    : EnigmCryptoException("malformed-input", message, inner);

/// <summary>A signature did not verify (either half of a composite included).</summary>
public sealed class SignatureInvalidException(string message)
    : EnigmCryptoException("signature-invalid", message);

/// <summary>An AEAD tag, a key unwrap integrity check or a decapsulation consistency check failed.</summary>
public sealed class DecryptionFailedException(string message, Exception? inner = null)
    : EnigmCryptoException("decryption-failed", message, inner);

/// <summary>A public or private key is structurally invalid for its algorithm.</summary>
public sealed class InvalidKeyException(string message, Exception? inner = null)
    : EnigmCryptoException("invalid-key", message, inner);

/// <summary>The suite id is not in the registry.</summary>
public sealed class UnknownSuiteException(ushort suiteId)
    : EnigmCryptoException("unknown-suite", $"Suite {suiteId} is not known to this build.")
{
    public ushort SuiteId { get; } = suiteId;
}

/// <summary>The suite is known but the active policy refuses it.</summary>
public sealed class SuiteRefusedException(ushort suiteId, string name)
    : EnigmCryptoException("suite-refused", $"Suite {suiteId} ({name}) is refused by policy.")
{
    public ushort SuiteId { get; } = suiteId;
}

/// <summary>The format version in a header is not one this build reads.</summary>
public sealed class UnsupportedFormatVersionException(int version)
    : EnigmCryptoException("unsupported-format-version", $"Format version {version} is not supported.")
{
    public int Version { get; } = version;
}

/// <summary>No provider on this platform implements the algorithm (or the forced provider is unavailable).</summary>
public sealed class AlgorithmUnavailableException(string message)
    : EnigmCryptoException("algorithm-unavailable", message);
