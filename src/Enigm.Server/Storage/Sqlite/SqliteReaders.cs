using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Read-only connections, kept open and reused. In WAL mode readers never block the writer nor each other, and each
/// query sees the last committed state (so a write that returned is visible to the next read).
/// </summary>
internal sealed class SqliteReaders(string connectionString) : IDisposable
{
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    public T Read<T>(Func<SqliteConnection, T> query)
    {
        var connection = Rent();
        try
        {
            return query(connection);
        }
        catch (SqliteException e)
        {
            throw new RelayStoreException($"the relay database failed: {e.Message}", e);
        }
        finally
        {
            _idle.Add(connection);
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            SqliteCommands.Release(connection);
            connection.Dispose();
        }
    }

    private SqliteConnection Rent()
    {
        if (_idle.TryTake(out var connection)) return connection;
        connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            SqliteCommands.Execute(connection, null, "PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;");
            return connection;
        }
        catch (SqliteException e)
        {
            SqliteCommands.Release(connection);
            connection.Dispose();
            throw new RelayStoreException($"the relay database cannot be opened: {e.Message}", e);
        }
    }
}
