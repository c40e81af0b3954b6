using System.Collections.Concurrent;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Rows every request reads (the caller's token, the caller's and the recipient's account), kept in the process. On
/// SQLite every change to them goes through this store's writer, so the cache is exact: <see cref="Changed"/> runs after
/// each such write commits and before that write's caller is answered, so once a revocation, a token revocation or a
/// disable returns, no request sees the old row. A read that raced a change is not used (the generation check: a copy
/// read before a change is never served after it). <see cref="MaxAge"/> bounds staleness should anything else ever
/// change the file (an operator's own tool). Absent rows are not cached, so unknown names cannot fill it.
/// </summary>
internal sealed class SqliteReadCache<T>
    where T : class
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, (T Value, long Generation, long LoadedAt)> _entries = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The cached row, else reads it with <paramref name="read"/> and keeps it if it exists.</summary>
    public T? GetOrRead(string key, Func<T?> read)
    {
        var generation = Interlocked.Read(ref _generation);
        if (_entries.TryGetValue(key, out var entry) && entry.Generation == generation && Environment.TickCount64 - entry.LoadedAt < MaxAge.TotalMilliseconds)
            return entry.Value;

        var value = read();
        if (value is null) return null;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = (value, generation, Environment.TickCount64);
        return value;
    }

    /// <summary>A write to these rows committed: every copy read before it is unusable from now on.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
