using Microsoft.Data.Sqlite;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>Small helpers to build and run parameterised commands (parameters named $p0, $p1, … in order).</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params object?[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++) command.Parameters.AddWithValue("$p" + i, parameters[i] ?? DBNull.Value);
        return command;
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
}
