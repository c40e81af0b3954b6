using Enigm.Crypto.Errors;

namespace Enigm.Ota.Errors;

/// <summary>
/// Fewer distinct keys of a role than its threshold produced valid signatures (TUF 5.3.4, 5.4.2,
/// 5.5.2, 5.6.3): arbitrary software, key compromise below the threshold, a revoked key.
/// </summary>
public sealed class ThresholdNotMetException(string role, int validSignatures, int threshold)
    : EnigmException("threshold-not-met", $"Role {role}: {validSignatures} valid signature(s) from distinct keys, threshold {threshold}.")
{
    public string Role { get; } = role;

    public int ValidSignatures { get; } = validSignatures;

    public int Threshold { get; } = threshold;
}

/// <summary>Trusted metadata is past its expiry (TUF 5.3.10, 5.4.4, 5.5.6, 5.6.4): an indefinite freeze.</summary>
public sealed class MetadataExpiredException(string role, DateTimeOffset expires)
    : EnigmException("metadata-expired", $"Role {role} expired at {expires:yyyy-MM-ddTHH:mm:ssZ}.")
{
    public string Role { get; } = role;

    public DateTimeOffset Expires { get; } = expires;
}

/// <summary>New metadata carries a version lower than the trusted one (or not the next root version).</summary>
public sealed class RollbackAttackException(string role, long trustedVersion, long newVersion)
    : EnigmException("rollback-attack", $"Role {role}: version {newVersion} where version {trustedVersion} is trusted.")
{
    public string Role { get; } = role;

    public long TrustedVersion { get; } = trustedVersion;

    public long NewVersion { get; } = newVersion;
}

/// <summary>
/// Metadata does not match what the snapshot or timestamp role vouches for (TUF 5.5.2, 5.6.2):
/// a mix-and-match of metadata from different repository states.
/// </summary>
public sealed class MixAndMatchException(string role, string message)
    : EnigmException("mix-and-match", $"Role {role}: {message}")
{
    public string Role { get; } = role;
}

/// <summary>More bytes arrived than the trusted length allows (endless data attack).</summary>
public sealed class LengthExceededException(string name, long expectedLength)
    : EnigmException("length-exceeded", $"{name} is longer than its trusted length of {expectedLength} bytes.")
{
    public string Name { get; } = name;

    public long ExpectedLength { get; } = expectedLength;
}

/// <summary>A file's digest differs from the trusted hash (arbitrary software, tampering).</summary>
public sealed class HashMismatchException(string name, string algorithm)
    : EnigmException("hash-mismatch", $"{name}: {algorithm} digest does not match the trusted hash.")
{
    public string Name { get; } = name;

    public string Algorithm { get; } = algorithm;
}

/// <summary>Metadata of one role was offered where another was expected (the <c>_type</c> differs).</summary>
public sealed class MetadataTypeMismatchException(string expected, string actual)
    : EnigmException("metadata-type-mismatch", $"Expected {expected} metadata, got \"{actual}\".")
{
    public string Expected { get; } = expected;

    public string Actual { get; } = actual;
}

/// <summary>A new root is not exactly the next version of the trusted root (TUF 5.3.5).</summary>
public sealed class BadVersionNumberException(string role, long expectedVersion, long newVersion)
    : EnigmException("bad-version-number", $"Role {role}: version {newVersion} where version {expectedVersion} is required.")
{
    public string Role { get; } = role;

    public long ExpectedVersion { get; } = expectedVersion;

    public long NewVersion { get; } = newVersion;
}

/// <summary>The device does not meet a release's eligibility rules; <see cref="Reasons"/> says which.</summary>
public sealed class IneligibleDeviceException(string target, IReadOnlyList<string> reasons)
    : EnigmException("ineligible-device", $"Device is not eligible for {target}: {string.Join("; ", reasons)}.")
{
    public string Target { get; } = target;

    public IReadOnlyList<string> Reasons { get; } = reasons;
}

/// <summary>
/// No trusted targets metadata lists the requested target (TUF 5.6.7: search exhausted), or no
/// target can be chosen automatically because none carries Enigm release rules.
/// </summary>
public sealed class TargetNotFoundException : EnigmException
{
    public TargetNotFoundException(string target)
        : this(target, $"No trusted targets role lists {target}.")
    {
    }

    public TargetNotFoundException(string target, string message)
        : base("target-not-found", message) => Target = target;

    public string Target { get; }
}

/// <summary>
/// TUF's slow retrieval attack: a file did not arrive within its transfer deadline, or arrived more
/// slowly than the minimum average rate (<see cref="Client.TransferLimits"/>). A server that sends
/// headers and then trickles the body would otherwise hold the updater forever.
/// </summary>
public sealed class SlowRetrievalException(string name, long bytesReceived, TimeSpan elapsed, string limit)
    : EnigmException("slow-retrieval", $"{name}: {bytesReceived} byte(s) in {elapsed.TotalSeconds:0.#} s, {limit} (slow retrieval).")
{
    public string Name { get; } = name;

    public long BytesReceived { get; } = bytesReceived;

    public TimeSpan Elapsed { get; } = elapsed;
}

/// <summary>A repository is missing, unreadable or in a state the operation cannot work on (signing side, fetch failures).</summary>
public sealed class RepositoryException(string message, Exception? inner = null)
    : EnigmException("repository", message, inner);
