using Enigm.Trust.Accounts;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// Where device logs and the last head seen for each account are kept (libsignal-style store seam:
/// the trust logic talks only to this; SQLite/PostgreSQL implementations live in the client and server).
/// </summary>
public interface IDeviceLogStore
{
    /// <summary>The stored entries of an account's log, genesis first (empty if none).</summary>
    IReadOnlyList<byte[]> ReadEntries(AccountFingerprint account);

    /// <summary>Replaces the stored log of an account with a verified, longer or equal one.</summary>
    void WriteEntries(AccountFingerprint account, IReadOnlyList<byte[]> entries);

    /// <summary>The newest head this client has verified for the account, or null.</summary>
    DeviceLogHead? ReadLastSeenHead(AccountFingerprint account);

    void WriteLastSeenHead(AccountFingerprint account, DeviceLogHead head);
}

/// <summary>An <see cref="IDeviceLogStore"/> in memory (tests, the demo, short-lived tools). Thread-safe.</summary>
public sealed class InMemoryDeviceLogStore : IDeviceLogStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<AccountFingerprint, byte[][]> _entries = [];
    private readonly Dictionary<AccountFingerprint, DeviceLogHead> _heads = [];

    public IReadOnlyList<byte[]> ReadEntries(AccountFingerprint account)
    {
        lock (_gate) return _entries.TryGetValue(account, out var entries) ? [.. entries.Select(e => (byte[])e.Clone())] : [];
    }

    public void WriteEntries(AccountFingerprint account, IReadOnlyList<byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate) _entries[account] = [.. entries.Select(e => (byte[])e.Clone())];
    }

    public DeviceLogHead? ReadLastSeenHead(AccountFingerprint account)
    {
        lock (_gate) return _heads.GetValueOrDefault(account);
    }

    public void WriteLastSeenHead(AccountFingerprint account, DeviceLogHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        lock (_gate) _heads[account] = head;
    }
}
