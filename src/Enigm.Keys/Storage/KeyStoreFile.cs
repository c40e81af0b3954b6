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
        if (File.Exists(path) || Directory.Exists(path)) throw new KeyStoreException($"A key store already exists at {path}.");
        KeyStoreHome.EnsureCreated(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        CreatePrivateFile(path);
        KeyStoreFile file;
        try
        {
            file = new KeyStoreFile(Connect(path, SqliteOpenMode.ReadWrite), path);
        }
        catch
        {
            File.Delete(path);
            throw;
        }

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

    /// <summary>
    /// Opens an existing store. Anything that is not an intact Enigm store — not a database, truncated,
    /// zero-filled, a folder, unreadable — is <see cref="KeyStoreException"/>, and the file is not written.
    /// </summary>
    public static KeyStoreFile Open(string path)
    {
        if (Directory.Exists(path)) throw new KeyStoreException($"{path} is a folder, not a key store.");
        if (!File.Exists(path)) throw new KeyStoreException($"No key store at {path} (run 'enigm keys init').");
        if (new FileInfo(path).Length == 0) throw new KeyStoreException($"{path} is empty: not an Enigm key store.");
        KeyStoreFile? file = null;
        try
        {
            file = new KeyStoreFile(Connect(path, SqliteOpenMode.ReadWrite), path);
            // A truncated or damaged file often opens fine and fails on the first page read later:
            // check the whole file now, before anything is written.
            using (var check = file.Connection.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check";
                if (check.ExecuteScalar() as string != "ok")
                    throw new KeyStoreException($"{path} is damaged (SQLite integrity check failed); nothing was changed.");
            }

            var version = file.Meta("schema_version");
            if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
                throw new KeyStoreException($"Key store schema version {version} is not supported (expected {SchemaVersion}).");
            return file;
        }
        catch (SqliteException e)
        {
            file?.Dispose();
            throw new KeyStoreException($"{path} is not an Enigm key store ({e.Message.Split('\n')[0].Trim()}); nothing was changed.", e);
        }
        catch
        {
            file?.Dispose();
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

    /// <summary>The store file, created empty and readable by its owner only (0600) before SQLite opens it.</summary>
    private static void CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyStoreException($"Cannot create the key store at {path}: {e.Message}", e);
        }

        // UnixCreateMode is filtered by the umask; the result may only be narrower, but set it exactly.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
