using System.Collections.Concurrent;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Recently read accounts (device log, device list, disabled flag). Every authenticated request and every submit reads
/// one or two, and each read is two statements plus copying the device log. On SQLite every change to an account goes
/// through this store's writer, so the cache is exact: <see cref="Changed"/> runs after each account write commits and
/// before that write's caller is answered, so once a revocation or a disable returns, no request sees the old account.
/// A read that raced a change is not kept (the generation check). <see cref="MaxAge"/> bounds staleness should anything
/// else ever change the file (an operator's own tool). Token lookups are not cached.
/// </summary>
internal sealed class SqliteAccountCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (StoredAccount Account, long Generation, long LoadedAt)> _entries = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Taken before a database read and handed to <see cref="Put"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string account, out StoredAccount stored)
    {
        if (_entries.TryGetValue(account, out var entry) && entry.Generation == Generation && Environment.TickCount64 - entry.LoadedAt < MaxAge.TotalMilliseconds)
        {
            stored = entry.Account;
            return true;
        }

        stored = null!;
        return false;
    }

    /// <summary>Keeps an account read under <paramref name="generation"/>: usable only while no account changed since.</summary>
    public void Put(StoredAccount account, long generation)
    {
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[account.Account] = (account, generation, Environment.TickCount64);
    }

    /// <summary>An account write committed: every copy read before it is unusable from now on.</summary>
    public void Changed(string account)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(account, out _);
    }
}
