using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Microsoft.Data.Sqlite;

namespace Enigm.Keys.Storage;

/// <summary>
/// The SQLite <see cref="IKeyStore"/>: one file (<see cref="KeyStoreFile"/>), key rows through
/// <see cref="KeyRows"/>, the audit log through <see cref="AuditLog"/>. Every SQLite failure — a file
/// that is not a database, a truncated or zero-filled one, a read-only folder — is reported as
/// <see cref="KeyStoreException"/> with one line, never as a raw <see cref="SqliteException"/>.
/// </summary>
public sealed class SqliteKeyStore : IKeyStore
{
    private readonly KeyStoreFile _file;

    private SqliteKeyStore(KeyStoreFile file) => _file = file;

    public string Location => _file.Path;

    public string StoreId => Guard(() => _file.StoreId);

    public ProtectorDescriptor Protector => Guard(() => _file.Protector);

    /// <summary>Creates a store file at <paramref name="path"/> (0600, in a 0700 folder it creates if missing).</summary>
    public static SqliteKeyStore Create(string path, string storeId, ProtectorDescriptor protector) =>
        Guard(() =>
        {
            var file = KeyStoreFile.Create(path, storeId, protector);
            try
            {
                AuditLog.EnsureSchema(file.Connection);
                SqliteRecordTable.EnsureSchema(file.Connection);
                return new SqliteKeyStore(file);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        });

    /// <summary>
    /// Throws <see cref="KeyStoreException"/> unless a store can be created at <paramref name="path"/>: its
    /// folder is (or can become) a folder and nothing is there yet. Lets a caller refuse before running an
    /// expensive protector.
    /// </summary>
    public static void CheckCanCreate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        KeyStoreHome.Validate(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        if (File.Exists(path) || Directory.Exists(path)) throw new KeyStoreException($"A key store already exists at {path}.");
    }

    /// <summary>Opens an existing store file; anything that is not an intact Enigm store is <see cref="KeyStoreException"/>.</summary>
    public static SqliteKeyStore Open(string path)
    {
        var file = KeyStoreFile.Open(path);
        try
        {
            Guard(() =>
            {
                AuditLog.EnsureSchema(file.Connection);
                SqliteRecordTable.EnsureSchema(file.Connection);
                return 0;
            });
            return new SqliteKeyStore(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public string? Setting(string name) => Guard(() => _file.OptionalMeta(name));

    public IReadOnlyList<KeyRow> Keys() => Guard(() => KeyRows.ReadAll(_file));

    public KeyRow? Key(string id) => Guard(() => KeyRows.Find(_file, id));

    public IReadOnlyList<KeyRow> ActiveKeys(KeyPurpose purpose) => Guard(() => KeyRows.ActiveOfPurpose(_file, purpose));

    public byte[]? RevocationStatement(string keyId) => Guard(() =>
    {
        using var command = _file.Connection.CreateCommand();
        command.CommandText = "SELECT statement FROM revocations WHERE key_id = $id";
        command.Parameters.AddWithValue("$id", keyId);
        return command.ExecuteScalar() as byte[];
    });

    public IReadOnlyList<AuditEntry> AuditEntries() => Guard(() => AuditLog.ReadEntries(_file.Connection));

    public IReadOnlyList<AuditCheckpoint> AuditCheckpoints() => Guard(() => AuditLog.ReadCheckpoints(_file.Connection));

    public IKeyStoreTransaction Begin() => Guard(() => new Transaction(_file, _file.Connection.BeginTransaction()));

    public void Compact() => Guard(() =>
    {
        _file.Purge();
        return 0;
    });

    public Records.IRecordTable Records => new SqliteRecordTable(_file.Connection, null);

    public void Dispose() => _file.Dispose();

    internal static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SqliteException e)
        {
            throw new KeyStoreException($"The key store is damaged or unreadable ({FirstLine(e.Message)}); nothing was changed.", e);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private sealed class Transaction(KeyStoreFile file, SqliteTransaction tx) : IKeyStoreTransaction
    {
        public void InsertKey(KeyRow row) => Guard(() =>
        {
            KeyRows.Insert(file, tx, row);
            return 0;
        });

        public void UpdateKey(KeyRecord record, byte[] mac) => Guard(() =>
        {
            KeyRows.UpdateMetadata(file, tx, record, mac);
            return 0;
        });

        public void ReplaceWrapped(string id, WrappedKey? wrapped, byte[] mac) => Guard(() =>
        {
            KeyRows.UpdateWrapped(file, tx, id, wrapped, mac);
            return 0;
        });

        public void EraseWrapped(string id) => Guard(() =>
        {
            KeyRows.EraseWrapped(file, tx, id);
            return 0;
        });

        public WrappedKey? Wrapped(string id) => Guard(() =>
        {
            using var command = file.Connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "SELECT wrap_nonce, wrapped FROM keys WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) throw new Errors.KeyNotFoundException(id);
            return reader.IsDBNull(1) ? null : new WrappedKey((byte[])reader.GetValue(0), (byte[])reader.GetValue(1));
        });

        public IReadOnlyList<string> KeyIds() => Guard(() =>
        {
            using var command = file.Connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "SELECT id FROM keys ORDER BY id";
            using var reader = command.ExecuteReader();
            var ids = new List<string>();
            while (reader.Read()) ids.Add(reader.GetString(0));
            return ids;
        });

        public void SetSetting(string name, string value) => Guard(() =>
        {
            file.SetMeta(tx, name, value);
            return 0;
        });

        public void AddRevocation(string keyId, byte[] statement) => Guard(() =>
        {
            using var command = file.Connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "INSERT INTO revocations (key_id, statement) VALUES ($id, $s)";
            command.Parameters.AddWithValue("$id", keyId);
            command.Parameters.AddWithValue("$s", statement);
            command.ExecuteNonQuery();
            return 0;
        });

        public AuditEntry AppendAudit(string eventKind, string? keyId, string detail, DateTimeOffset time) =>
            Guard(() => AuditLog.Append(file.Connection, tx, eventKind, keyId, detail, time));

        public (long Sequence, byte[] Hash) AuditHead() => Guard(() =>
        {
            using var command = file.Connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1";
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), (byte[])reader.GetValue(1)) : (0L, AuditFormat.ZeroHash());
        });

        public AuditCheckpoint WriteCheckpoint(ISignatureScheme scheme, PrivateKey signer, string signerKeyId, DateTimeOffset time) =>
            Guard(() => AuditLog.WriteCheckpoint(file.Connection, tx, scheme, signer, signerKeyId, time));

        public Records.IRecordTableTransaction Records => new SqliteRecordTable(file.Connection, tx);

        public void Commit() => Guard(() =>
        {
            tx.Commit();
            return 0;
        });

        public void Dispose() => tx.Dispose();
    }
}
