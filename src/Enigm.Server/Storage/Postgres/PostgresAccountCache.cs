using System.Collections.Concurrent;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// This node's copy of recently read accounts (device log, device list, disabled flag): every authenticated request and
/// every submit reads one, and on PostgreSQL each read is a round trip. An entry is dropped when this node changes the
/// account, when any node announces a change (<see cref="RelaySignalKind.AccountChanged"/>, sent by NOTIFY in the
/// changing transaction, and the revocation/disable signals), and after <see cref="MaxAge"/> at the latest, which bounds
/// staleness even while the listening connection is reconnecting and missing signals. Revocation does not depend on it:
/// a revoked device's tokens are deleted, and token lookups are never cached. A read that raced an invalidation is not
/// cached (the generation check), so a stale copy never outlives the signal that invalidated it.
/// </summary>
internal sealed class PostgresAccountCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (StoredAccount Account, long LoadedAt)> _entries = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Taken before a database read; <see cref="Put"/> keeps the result only if nothing was invalidated since.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string account, out StoredAccount stored)
    {
        if (_entries.TryGetValue(account, out var entry) && Environment.TickCount64 - entry.LoadedAt < MaxAge.TotalMilliseconds)
        {
            stored = entry.Account;
            return true;
        }

        stored = null!;
        return false;
    }

    public void Put(StoredAccount account, long generation, long loadedAt)
    {
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[account.Account] = (account, loadedAt);
        // Invalidated while loading: drop what was just stored (it may predate the change).
        if (Generation != generation) _entries.TryRemove(account.Account, out _);
    }

    public void Invalidate(string account)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(account, out _);
    }

    public void OnSignal(RelaySignal signal)
    {
        if (signal.Kind is RelaySignalKind.AccountChanged or RelaySignalKind.DeviceRevoked or RelaySignalKind.AccountDisabled) Invalidate(signal.Account);
    }
}
