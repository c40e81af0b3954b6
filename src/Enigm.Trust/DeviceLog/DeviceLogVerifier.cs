using System.Security.Cryptography;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.Errors;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// Replays a whole device log from genesis (docs/trust-device-log.md, "Verification rules") and yields
/// the trusted device set at its head. Given the head this verifier saw last time, it also rejects a log
/// that ends before it (<see cref="DeviceLogRollbackException"/>) or holds a different entry at that
/// position (<see cref="DeviceLogForkException"/>). Pure: no I/O, no clock.
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
        CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        limits ??= DeviceLogLimits.Default;
        if (entries.Count == 0)
            throw new DeviceLogGapException(0, "the log is empty; it must start with a genesis entry");
        if (entries.Count > limits.MaxEntries)
            throw new DeviceLogTooLargeException(limits.MaxEntries, $"the log has {entries.Count} entries, over the {limits.MaxEntries}-entry limit");
        if (lastSeen is not null) CheckAgainstLastSeen(entries, lastSeen);

        var replay = new DeviceLogReplay(limits, policy, providers);
        foreach (var entry in entries) replay.Apply(entry);
        return replay.Snapshot();
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
