using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Small helpers to run parameterised commands (parameters named $p0, $p1, … in order). Commands are cached per
/// connection and SQL text, so each statement is compiled once per connection rather than once per call: on the
/// writer's hot path (a submit) compiling would cost more than executing. A connection is only ever used by one
/// thread at a time (the writer loop, or whoever rented a reader), so its cache needs no lock.
/// </summary>
internal static class SqliteCommands
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, CachedCommand>> Cache = [];

    /// <summary>The cached command for <paramref name="sql"/> on this connection, bound to these values; disposing it is a no-op.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object?[] parameters)
    {
        var commands = Cache.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = new CachedCommand { Connection = connection, CommandText = sql };
            for (var i = 0; i < parameters.Length; i++) command.Parameters.Add(new SqliteParameter("$p" + i, null));
            commands[sql] = command;
        }

        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++) command.Parameters[i].Value = parameters[i] ?? DBNull.Value;
        return command;
    }

    /// <summary>Finalizes the connection's cached statements; call before closing it, so the file is really closed.</summary>
    public static void Release(SqliteConnection connection)
    {
        if (!Cache.TryGetValue(connection, out var commands)) return;
        foreach (var command in commands.Values) command.Release();
        Cache.Remove(connection);
    }

    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object?[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static long Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object?[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar() is long value ? value : 0;
    }

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long millis) => DateTimeOffset.FromUnixTimeMilliseconds(millis);

    /// <summary>Lives until <see cref="Release"/>: callers' <c>using</c> leaves it cached.</summary>
    private sealed class CachedCommand : SqliteCommand
    {
        private bool _released;

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released) base.Dispose(disposing);
        }
    }
}
