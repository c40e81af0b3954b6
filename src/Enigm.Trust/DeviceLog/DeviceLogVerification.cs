using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// The outcome of <see cref="DeviceLogVerifier.Check"/> or <see cref="DeviceLogVerifier.CheckFile"/>:
/// either the trusted set at the log's head, or where the log failed and the typed error that says why.
/// A caller that reports failures (the CLI, a review page) reads <see cref="FailedAt"/> and
/// <see cref="Error"/> instead of replaying the log itself to find the position.
/// </summary>
public sealed class DeviceLogVerification
{
    private DeviceLogVerification(int? entryCount, TrustedDeviceSet? trusted, long? failedAt, EnigmException? error)
    {
        EntryCount = entryCount;
        Trusted = trusted;
        FailedAt = failedAt;
        Error = error;
    }

    /// <summary>How many entries the log holds; null when a log file did not decode into entries.</summary>
    public int? EntryCount { get; }

    /// <summary>The trusted set at the head; set exactly when <see cref="Verified"/>.</summary>
    public TrustedDeviceSet? Trusted { get; }

    /// <summary>
    /// The sequence number of the first bad entry (for a rollback, the first missing one); null when the
    /// log verified, or when a log file failed as a whole before any entry was looked at.
    /// </summary>
    public long? FailedAt { get; }

    /// <summary>The first failure's typed error (the same exception <see cref="DeviceLogVerifier.Verify"/> throws).</summary>
    public EnigmException? Error { get; }

    [MemberNotNullWhen(true, nameof(Trusted))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Verified => Error is null;

    /// <summary>The trusted set, or the failure's typed error rethrown with its original stack.</summary>
    public TrustedDeviceSet TrustedOrThrow()
    {
        if (!Verified) ExceptionDispatchInfo.Throw(Error);
        return Trusted;
    }

    internal static DeviceLogVerification Success(int entryCount, TrustedDeviceSet trusted) => new(entryCount, trusted, null, null);

    internal static DeviceLogVerification Failure(int? entryCount, long? failedAt, EnigmException error) => new(entryCount, null, failedAt, error);
}
