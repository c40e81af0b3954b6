namespace Enigm.Crypto.Errors;

/// <summary>Bytes that cannot be parsed: wrong length, bad encoding, trailing data, over the size limit.</summary>
public sealed class MalformedInputException(string message, Exception? inner = null)
    : EnigmException("malformed-input", message, inner);

/// <summary>A signature did not verify (either half of a composite included).</summary>
public sealed class SignatureInvalidException(string message)
    : EnigmException("signature-invalid", message);

/// <summary>An AEAD tag, a key unwrap integrity check or a decapsulation consistency check failed.</summary>
public sealed class DecryptionFailedException(string message, Exception? inner = null)
    : EnigmException("decryption-failed", message, inner);

/// <summary>A public or private key is structurally invalid for its algorithm.</summary>
public sealed class InvalidKeyException(string message, Exception? inner = null)
    : EnigmException("invalid-key", message, inner);

/// <summary>The suite id is not in the registry.</summary>
public sealed class UnknownSuiteException(ushort suiteId)
    : EnigmException("unknown-suite", $"Suite {suiteId} is not known to this build.")
{
    public ushort SuiteId { get; } = suiteId;
}

/// <summary>
/// The active policy refuses the object: its suite, or an algorithm it relies on (a key or signature of
/// a refused algorithm, a composite whose components are all refused); see <c>SuitePolicy</c>.
/// </summary>
public sealed class SuiteRefusedException : EnigmException
{
    /// <summary>The suite itself is refused.</summary>
    public SuiteRefusedException(ushort suiteId, string name)
        : base("suite-refused", $"Suite {suiteId} ({name}) is refused by policy.") => SuiteId = suiteId;

    /// <summary>An algorithm the object relies on is refused; <paramref name="message"/> names it and why.</summary>
    public SuiteRefusedException(ushort suiteId, Algorithms.CryptoAlgorithm algorithm, string message)
        : base("suite-refused", message)
    {
        SuiteId = suiteId;
        RefusedAlgorithm = algorithm;
    }

    /// <summary>The object's suite (0 for objects that name none, such as TUF metadata).</summary>
    public ushort SuiteId { get; }

    /// <summary>The refused algorithm the object relies on; null when the suite itself is refused.</summary>
    public Algorithms.CryptoAlgorithm? RefusedAlgorithm { get; }
}

/// <summary>The format version in a header is not one this build reads.</summary>
public sealed class UnsupportedFormatVersionException(int version)
    : EnigmException("unsupported-format-version", $"Format version {version} is not supported.")
{
    public int Version { get; } = version;
}

/// <summary>No provider on this platform implements the algorithm (or the forced provider is unavailable).</summary>
public sealed class AlgorithmUnavailableException(string message)
    : EnigmException("algorithm-unavailable", message);
