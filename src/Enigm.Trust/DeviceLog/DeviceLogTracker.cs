using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// Keeps this client's view of accounts' device logs over an <see cref="IDeviceLogStore"/>: a log
/// received from anywhere (the server, a contact) is verified from genesis against the last head seen
/// for that account, and only then stored together with its new head. A rollback or fork is therefore
/// detected across sessions, not just within one verification.
/// </summary>
public sealed class DeviceLogTracker(IDeviceLogStore store, DeviceLogLimits? limits = null, SuitePolicy? policy = null, CryptoProviders? providers = null)
{
    /// <summary>
    /// Verifies <paramref name="entries"/> as the log of <paramref name="expectedAccount"/> (when given)
    /// against the stored last-seen head, stores it and returns the trusted set. A log of another
    /// account is a <see cref="DeviceLogForkException"/> at entry 0: its genesis differs.
    /// </summary>
    public TrustedDeviceSet Accept(IReadOnlyList<byte[]> entries, AccountFingerprint? expectedAccount = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(entries);
        var lastSeen = expectedAccount is null ? null : store.ReadLastSeenHead(expectedAccount);
        var set = DeviceLogVerifier.Verify(entries, lastSeen, limits, policy, providers);
        if (expectedAccount is not null && !set.Account.Equals(expectedAccount))
            throw new DeviceLogForkException(0, $"the genesis entry is not that of account {expectedAccount.Hex}");
        lastSeen ??= store.ReadLastSeenHead(set.Account);
        if (lastSeen is not null) DeviceLogVerifier.CheckAgainstLastSeen(entries, lastSeen);
        store.WriteEntries(set.Account, entries);
        store.WriteLastSeenHead(set.Account, set.Head);
        return set;
    }

    /// <summary>Replays the stored log of an account (null if none is stored).</summary>
    public TrustedDeviceSet? Load(AccountFingerprint account)
    {
        ArgumentNullException.ThrowIfNull(store);
        var entries = store.ReadEntries(account);
        return entries.Count == 0 ? null : DeviceLogVerifier.Verify(entries, store.ReadLastSeenHead(account), limits, policy, providers);
    }
}
