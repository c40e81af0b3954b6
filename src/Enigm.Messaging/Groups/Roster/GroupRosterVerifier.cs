using System.Security.Cryptography;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Groups.Roster;

/// <summary>
/// Replays a whole roster from its create entry (docs/groups.md, "Verification rules") and yields the
/// members at its head, as <c>DeviceLogVerifier</c> does for device logs. Given the head this member saw last,
/// it rejects a roster that ends before it (<see cref="GroupRosterRollbackException"/>) or holds another entry
/// at that position (<see cref="GroupRosterForkException"/>). Pure: no I/O, no clock.
/// </summary>
public static class GroupRosterVerifier
{
    /// <summary>
    /// Verifies <paramref name="entries"/> (entry 0 creates the group). Throws the first failure's typed error:
    /// the <see cref="GroupRosterException"/> family, or Enigm.Crypto's <c>MalformedInputException</c>,
    /// <c>UnknownSuiteException</c>, <c>SuiteRefusedException</c>, <c>UnsupportedFormatVersionException</c>.
    /// </summary>
    /// <param name="memberLogs">The verified device log of an account (null when none is known).</param>
    /// <param name="lastSeen">
    /// The head this member accepted before, or null for a first verification. Entries up to it are bound by
    /// the hash chain to what was verified then, so their signatures are not checked again (a signer may have
    /// been revoked or rotated its key since); every rule is.
    /// </param>
    /// <param name="expectedGroup">When given, the roster must be this group's.</param>
    public static GroupRoster Verify(
        IReadOnlyList<byte[]> entries,
        Func<AccountFingerprint, TrustedDeviceSet?> memberLogs,
        GroupRosterHead? lastSeen = null,
        GroupId? expectedGroup = null,
        GroupRosterLimits? limits = null,
        SuitePolicy? policy = null,
        CryptoProviders? providers = null)
    {
        var roster = Replay(entries, memberLogs, lastSeen, limits, policy, providers).Snapshot();
        if (expectedGroup is not null && !roster.GroupId.Equals(expectedGroup))
            throw new GroupRosterInvalidException(0, $"this is the roster of group {roster.GroupId.Hex[..16]}…, not {expectedGroup.Hex[..16]}…");
        return roster;
    }

    /// <summary>The replay after every entry, for a writer that continues the roster.</summary>
    internal static GroupRosterReplay Replay(
        IReadOnlyList<byte[]> entries,
        Func<AccountFingerprint, TrustedDeviceSet?> memberLogs,
        GroupRosterHead? lastSeen,
        GroupRosterLimits? limits,
        SuitePolicy? policy,
        CryptoProviders? providers)
    {
        ArgumentNullException.ThrowIfNull(entries);
        limits ??= GroupRosterLimits.Default;
        if (entries.Count == 0)
            throw new GroupRosterInvalidException(0, "the roster is empty; it must start with a create entry");
        if (entries.Count > limits.MaxEntries)
            throw new GroupRosterInvalidException(limits.MaxEntries, $"the roster has {entries.Count} entries, over the {limits.MaxEntries}-entry limit");
        if (lastSeen is not null) CheckAgainstLastSeen(entries, lastSeen);
        var replay = new GroupRosterReplay(memberLogs, lastSeen?.Sequence ?? -1, limits, policy, providers);
        foreach (var entry in entries) replay.Apply(entry);
        return replay;
    }

    /// <summary>
    /// Rollback and fork checks against the last head seen: the roster must reach that sequence, and its entry
    /// there must hash to the remembered hash.
    /// </summary>
    public static void CheckAgainstLastSeen(IReadOnlyList<byte[]> entries, GroupRosterHead lastSeen)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(lastSeen);
        if (entries.Count - 1 < lastSeen.Sequence)
            throw new GroupRosterRollbackException(entries.Count, $"the roster ends at entry {entries.Count - 1}, before the head {lastSeen.Sequence} already seen");
        var hash = SHA256.HashData(entries[(int)lastSeen.Sequence]);
        if (!hash.AsSpan().SequenceEqual(lastSeen.Hash))
            throw new GroupRosterForkException(lastSeen.Sequence, $"the entry differs from the one seen before at this position (seen {lastSeen.HashHex}, now {Convert.ToHexStringLower(hash)})");
    }
}
