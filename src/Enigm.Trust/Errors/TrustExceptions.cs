using Enigm.Crypto.Errors;

namespace Enigm.Trust.Errors;

// Typed failures of Enigm.Trust. Each family has its own CLI exit code (README, "Exit codes").
// Unknown or refused suites reuse Enigm.Crypto's UnknownSuiteException / SuiteRefusedException and
// unparsable bytes its MalformedInputException, so those keep their codes everywhere.

/// <summary>Base of the device-log verification failures; <see cref="Sequence"/> is the first bad entry.</summary>
public abstract class DeviceLogException(string code, long sequence, string message)
    : EnigmException(code, $"Device log entry {sequence}: {message}")
{
    public long Sequence { get; } = sequence;
}

/// <summary>Two different entries claim the same position after a common prefix: the log was forked.</summary>
public sealed class DeviceLogForkException(long sequence, string message)
    : DeviceLogException("device-log-fork", sequence, message);

/// <summary>The log offered ends before a head this verifier has already seen (rollback).</summary>
public sealed class DeviceLogRollbackException(long sequence, string message)
    : DeviceLogException("device-log-rollback", sequence, message);

/// <summary>A sequence number is skipped or repeated, or an entry's previous-hash link is broken.</summary>
public sealed class DeviceLogGapException(long sequence, string message)
    : DeviceLogException("device-log-gap", sequence, message);

/// <summary>A signature on an entry does not verify (including a missing proof of possession).</summary>
public sealed class DeviceLogSignatureException(long sequence, string message)
    : DeviceLogException("device-log-signature", sequence, message);

/// <summary>An entry is signed by a device that is revoked, unknown or otherwise not trusted at that point.</summary>
public sealed class UntrustedSignerException(long sequence, string message)
    : DeviceLogException("untrusted-signer", sequence, message);

/// <summary>The log (or one entry) is larger than the verifier's limit.</summary>
public sealed class DeviceLogTooLargeException(long sequence, string message)
    : DeviceLogException("device-log-too-large", sequence, message);

/// <summary>A contact's fingerprint changed since it was verified; sending is refused until re-verified or accepted.</summary>
public sealed class ContactChangedException(string contact)
    : EnigmException("contact-changed", $"Contact {contact} changed keys since it was verified; re-verify or accept the change first.")
{
    public string Contact { get; } = contact;
}

/// <summary>Base of enrollment failures: every one of them fails closed (no device is added).</summary>
public abstract class EnrollmentException(string code, string message)
    : EnigmException(code, message);

/// <summary>The link code is past its time-to-live.</summary>
public sealed class EnrollmentExpiredException(string message)
    : EnrollmentException("enrollment-expired", message);

/// <summary>The link code was already used (or a channel message was replayed).</summary>
public sealed class EnrollmentReplayException(string message)
    : EnrollmentException("enrollment-replay", message);

/// <summary>The link code or a channel message is wrong: it does not authenticate.</summary>
public sealed class EnrollmentCodeInvalidException(string message)
    : EnrollmentException("enrollment-code-invalid", message);

/// <summary>The user reported that the short authentication strings differ.</summary>
public sealed class SasMismatchException()
    : EnrollmentException("sas-mismatch", "The short authentication strings do not match; enrollment aborted.");

/// <summary>An inclusion or consistency proof, or a signed tree head, does not verify.</summary>
public sealed class TransparencyProofException(string message)
    : EnigmException("transparency-proof-invalid", message);

/// <summary>Two signed tree heads cannot both be honest views of one append-only log (a split view or fork).</summary>
public sealed class SplitViewException(string message)
    : EnigmException("split-view", message);
