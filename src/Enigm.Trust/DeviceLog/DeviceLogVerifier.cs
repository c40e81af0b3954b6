using System.Security.Cryptography;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.Errors;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// Replays a whole device log from genesis (docs/trust-device-log.md, "Verification rules") and yields
/// the trusted device set at its head. Given the head this verifier saw last time, it also rejects a log
/// that ends before it (<see cref="DeviceLogRollbackException"/>) or holds a different entry at that
/// position (<see cref="DeviceLogForkException"/>). <see cref="Verify"/> throws the first failure;
/// <see cref="Check"/> and <see cref="CheckFile"/> return it with the entry it happened at. Pure: no I/O, no clock.
/// </summary>
public static class DeviceLogVerifier
{
    /// <summary>
    /// Verifies <paramref name="entries"/> (entry 0 is genesis). Throws the first failure's typed error:
    /// <see cref="DeviceLogTooLargeException"/>, <see cref="DeviceLogRollbackException"/>,
    /// <see cref="DeviceLogForkException"/>, <see cref="DeviceLogGapException"/>,
    /// <see cref="DeviceLogSignatureException"/>, <see cref="UntrustedSignerException"/>, or Enigm.Crypto's
    /// <c>MalformedInputException</c>, <c>UnknownSuiteException</c>, <c>SuiteRefusedException</c>,
    /// <c>UnsupportedFormatVersionException</c>, <c>InvalidKeyException</c>.
    /// </summary>
    public static TrustedDeviceSet Verify(
        IReadOnlyList<byte[]> entries,
        DeviceLogHead? lastSeen = null,
        DeviceLogLimits? limits = null,
        SuitePolicy? policy = null,
        CryptoProviders? providers = null) =>
        Check(entries, lastSeen, limits, policy, providers).TrustedOrThrow();

    /// <summary>
    /// Verifies <paramref name="entries"/> as <see cref="Verify"/> does, but returns the failure instead of
    /// throwing it: <see cref="DeviceLogVerification.FailedAt"/> is the first bad entry's sequence number
    /// (the sequence a <see cref="DeviceLogException"/> carries; for any other typed error, the entry the
    /// replay had reached) and <see cref="DeviceLogVerification.Error"/> the typed error. Only
    /// <see cref="EnigmException"/>s are failures of the log; anything else is a bug and propagates.
    /// </summary>
    public static DeviceLogVerification Check(
        IReadOnlyList<byte[]> entries,
        DeviceLogHead? lastSeen = null,
        DeviceLogLimits? limits = null,
        SuitePolicy? policy = null,
        CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        limits ??= DeviceLogLimits.Default;
        var replay = new DeviceLogReplay(limits, policy, providers);
        try
        {
            if (entries.Count == 0)
                throw new DeviceLogGapException(0, "the log is empty; it must start with a genesis entry");
            if (entries.Count > limits.MaxEntries)
                throw new DeviceLogTooLargeException(limits.MaxEntries, $"the log has {entries.Count} entries, over the {limits.MaxEntries}-entry limit");
            if (lastSeen is not null) CheckAgainstLastSeen(entries, lastSeen);
            foreach (var entry in entries) replay.Apply(entry);
            return DeviceLogVerification.Success(entries.Count, replay.Snapshot());
        }
        catch (EnigmException e)
        {
            // The replay leaves its state as it was before a rejected entry, so its count is that entry's sequence.
            return DeviceLogVerification.Failure(entries.Count, e is DeviceLogException d ? d.Sequence : replay.Count, e);
        }
    }

    /// <summary>
    /// Decodes a device log file (<see cref="DeviceLogFile"/>) and checks it as <see cref="Check"/> does.
    /// A file that fails as a whole (over the size or entry limit, not a device log container) has no
    /// bad entry: <see cref="DeviceLogVerification.FailedAt"/> and <see cref="DeviceLogVerification.EntryCount"/> are null.
    /// </summary>
    public static DeviceLogVerification CheckFile(
        byte[] file,
        DeviceLogHead? lastSeen = null,
        DeviceLogLimits? limits = null,
        SuitePolicy? policy = null,
        CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        IReadOnlyList<byte[]> entries;
        try
        {
            entries = DeviceLogFile.Decode(file, limits);
        }
        catch (EnigmException e)
        {
            return DeviceLogVerification.Failure(null, null, e);
        }

        return Check(entries, lastSeen, limits, policy, providers);
    }

    /// <summary>
    /// Rollback and fork checks against the last head seen: the log must reach that sequence, and its
    /// entry there must hash to the remembered hash (a different entry at a seen position is a fork).
    /// </summary>
    public static void CheckAgainstLastSeen(IReadOnlyList<byte[]> entries, DeviceLogHead lastSeen)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(lastSeen);
        if (entries.Count - 1 < lastSeen.Sequence)
            throw new DeviceLogRollbackException(entries.Count, $"the log ends at entry {entries.Count - 1}, before the head {lastSeen.Sequence} already seen");
        var hash = SHA256.HashData(entries[(int)lastSeen.Sequence]);
        if (!hash.AsSpan().SequenceEqual(lastSeen.Hash))
            throw new DeviceLogForkException(lastSeen.Sequence, $"the entry differs from the one seen before at this position (seen {lastSeen.HashHex}, now {Convert.ToHexStringLower(hash)})");
    }
}
