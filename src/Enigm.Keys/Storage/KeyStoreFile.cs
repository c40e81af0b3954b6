using System.Globalization;
using Enigm.Keys.Errors;
using Enigm.Keys.Protection;
using Microsoft.Data.Sqlite;

namespace Enigm.Keys.Storage;

/// <summary>
/// The SQLite file behind a key store: schema, pragmas and store-wide metadata. Private keys appear
/// in it only wrapped. <c>secure_delete</c> makes SQLite overwrite deleted content, and the rollback
/// journal (not WAL) is deleted at every commit, so destroyed material does not linger in a side file.
/// </summary>
public sealed class KeyStoreFile : IDisposable
{
    public const int SchemaVersion = 1;
    public const string FileName = "keys.db";

    private KeyStoreFile(SqliteConnection connection, string path)
    {
        Connection = connection;
        Path = path;
    }

    public SqliteConnection Connection { get; }

    public string Path { get; }

    public string StoreId => Meta("store_id");

    public ProtectorDescriptor Protector =>
        new(Meta("protector_kind"), Convert.FromBase64String(Meta("protector_params")));

    public static KeyStoreFile Create(string path, string storeId, ProtectorDescriptor protector)
    {
        if (File.Exists(path)) throw new KeyStoreException($"A key store already exists at {path}.");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var file = new KeyStoreFile(Connect(path, SqliteOpenMode.ReadWriteCreate), path);
        using var tx = file.Connection.BeginTransaction();
        file.Execute(tx, """
            CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE keys (
                id TEXT PRIMARY KEY,
                series_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                purpose TEXT NOT NULL,
                suite_id INTEGER NOT NULL,
                algorithm TEXT NOT NULL,
                state TEXT NOT NULL,
                public_key BLOB NOT NULL,
                created_at INTEGER NOT NULL,
                activated_at INTEGER,
                deactivated_at INTEGER,
                expires_at INTEGER,
                cryptoperiod_s INTEGER NOT NULL,
                grace_until INTEGER,
                predecessor_id TEXT,
                successor_id TEXT,
                reason TEXT,
                wrap_nonce BLOB,
                wrapped BLOB,
                row_mac BLOB NOT NULL,
                UNIQUE (series_id, version));
            -- Never two active versions of one key, whatever happens (SP 800-57: one key per use at a time).
            CREATE UNIQUE INDEX keys_one_active ON keys (series_id) WHERE state = 'active';
            CREATE TABLE revocations (key_id TEXT PRIMARY KEY, statement BLOB NOT NULL);
            """);
        file.SetMeta(tx, "schema_version", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        file.SetMeta(tx, "store_id", storeId);
        file.SetMeta(tx, "protector_kind", protector.Kind);
        file.SetMeta(tx, "protector_params", Convert.ToBase64String(protector.Parameters));
        tx.Commit();
        return file;
    }

    public static KeyStoreFile Open(string path)
    {
        if (!File.Exists(path)) throw new KeyStoreException($"No key store at {path} (run 'enigm keys init').");
        var file = new KeyStoreFile(Connect(path, SqliteOpenMode.ReadWrite), path);
        try
        {
            var version = file.Meta("schema_version");
            if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
                throw new KeyStoreException($"Key store schema version {version} is not supported (expected {SchemaVersion}).");
            return file;
        }
        catch (SqliteException e)
        {
            file.Dispose();
            throw new KeyStoreException($"{path} is not an Enigm key store: {e.Message}", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void SetMeta(SqliteTransaction tx, string name, string value)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO meta (name, value) VALUES ($n, $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    /// <summary>An optional setting, or null when the store has none.</summary>
    public string? OptionalMeta(string name)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        return command.ExecuteScalar() as string;
    }

    public string Meta(string name)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        return command.ExecuteScalar() as string ?? throw new KeyStoreException($"Key store metadata '{name}' is missing.");
    }

    public void Execute(SqliteTransaction? tx, string sql)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Rebuilds the file so freed pages holding destroyed material are gone, not just unlinked.</summary>
    public void Purge() => Execute(null, "VACUUM");

    public void Dispose()
    {
        Connection.Dispose();
        // Pooled connections would keep the file open (and the journal around) after dispose.
        SqliteConnection.ClearPool(Connection);
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;";
        pragmas.ExecuteNonQuery();
        return connection;
    }
}
