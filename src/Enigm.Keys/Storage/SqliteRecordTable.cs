using Enigm.Keys.Records;
using Microsoft.Data.Sqlite;

namespace Enigm.Keys.Storage;

/// <summary>
/// The <c>records</c> table of a key store file: name, nonce and sealed bytes. Created with
/// <c>CREATE TABLE IF NOT EXISTS</c> when a store is created or opened, so stores made before it gain it
/// (an additive change: schema version 1 still describes every other table). Every SQLite failure is reported
/// through <see cref="SqliteKeyStore.Guard{T}"/> as <see cref="Errors.KeyStoreException"/>.
/// </summary>
internal sealed class SqliteRecordTable(SqliteConnection connection, SqliteTransaction? tx) : IRecordTableTransaction
{
    public static void EnsureSchema(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS records (name TEXT PRIMARY KEY, nonce BLOB NOT NULL, sealed BLOB NOT NULL)";
        command.ExecuteNonQuery();
    }

    public SealedRecord? Read(string name) => SqliteKeyStore.Guard(() =>
    {
        using var command = Command("SELECT nonce, sealed FROM records WHERE name = $n");
        command.Parameters.AddWithValue("$n", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new SealedRecord((byte[])reader.GetValue(0), (byte[])reader.GetValue(1)) : null;
    });

    public IReadOnlyList<string> Names(string prefix) => SqliteKeyStore.Guard(() =>
    {
        // A range scan on the primary key: names >= prefix and below prefix followed by the highest code point.
        using var command = Command("SELECT name FROM records WHERE name >= $p AND name < $q ORDER BY name");
        command.Parameters.AddWithValue("$p", prefix);
        command.Parameters.AddWithValue("$q", prefix + "\U0010FFFF");
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (name.StartsWith(prefix, StringComparison.Ordinal)) names.Add(name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    });

    public void Write(string name, SealedRecord record) => SqliteKeyStore.Guard(() =>
    {
        using var command = Command("INSERT INTO records (name, nonce, sealed) VALUES ($n, $o, $s) ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, sealed = excluded.sealed");
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$o", record.Nonce);
        command.Parameters.AddWithValue("$s", record.Ciphertext);
        return command.ExecuteNonQuery();
    });

    public bool Delete(string name) => SqliteKeyStore.Guard(() =>
    {
        using var command = Command("DELETE FROM records WHERE name = $n");
        command.Parameters.AddWithValue("$n", name);
        return command.ExecuteNonQuery() > 0;
    });

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }
}
