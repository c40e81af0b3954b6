using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;

namespace Enigm.Keys;

/// <summary>
/// A device's protected key store and the one owner of the key lifecycle (the python-tuf
/// <c>TrustedMetadataSet</c> model: every rule in one class). Opening it unlocks the KEK through the
/// store's protector; every private key is stored only wrapped under that KEK, every row is
/// authenticated, every lifecycle event is appended to the hash-chained audit log in the same
/// transaction, and the log is checkpointed with the store's own signing key.
/// </summary>
public sealed partial class KeyRing : IDisposable
{
    private readonly KeyStoreFile _file;
    // Replaced together when the protector changes (every key is rewrapped under the new KEK).
    private SecretBytes _kek;
    private RowAuthenticator _rows;

    private KeyRing(KeyStoreFile file, SecretBytes kek, KeyRingOptions options)
    {
        _file = file;
        _kek = kek;
        Options = options;
        _rows = new RowAuthenticator(kek, file.StoreId);
    }

    public KeyRingOptions Options { get; }

    public string StoreId => _file.StoreId;

    public string StorePath => _file.Path;

    public string ProtectorKind => _file.Protector.Kind;

    private DateTimeOffset Now => Options.Clock.GetUtcNow();

    /// <summary>Creates a store at <paramref name="path"/> with its storage (audit-signing) key.</summary>
    public static KeyRing Create(string path, IKeyProtector protector, KeyRingOptions? options = null)
    {
        options ??= new KeyRingOptions();
        var (descriptor, kek) = protector.Create();
        var storeId = "st_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var file = KeyStoreFile.Create(path, storeId, descriptor);
        AuditLog.EnsureSchema(file.Connection);
        var ring = new KeyRing(file, kek, options);
        using (var tx = file.Connection.BeginTransaction())
        {
            AuditLog.Append(file.Connection, tx, "store-created", null, $"protector={protector.Kind}", ring.Now);
            tx.Commit();
        }

        ring.Generate(KeyPurpose.Storage, reason: "store signing key (audit checkpoints)");
        return ring;
    }

    /// <summary>
    /// Opens and unlocks a store. A wrong passphrase throws <see cref="WrongPassphraseException"/> before
    /// anything is written.
    /// </summary>
    public static KeyRing Open(string path, Func<ProtectorDescriptor, IKeyProtector> protectorFor, KeyRingOptions? options = null)
    {
        var file = KeyStoreFile.Open(path);
        try
        {
            var descriptor = file.Protector;
            var kek = protectorFor(descriptor).Unlock(descriptor);
            AuditLog.EnsureSchema(file.Connection);
            return new KeyRing(file, kek, options ?? new KeyRingOptions());
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Every key version, with rows that fail authentication listed in <paramref name="damaged"/>.</summary>
    public IReadOnlyList<KeyRecord> List(out IReadOnlyList<string> damaged)
    {
        var good = new List<KeyRecord>();
        var bad = new List<string>();
        foreach (var row in KeyRows.ReadAll(_file))
        {
            if (_rows.Verify(row)) good.Add(row.Record);
            else bad.Add(row.Record.Id);
        }

        damaged = bad;
        return good;
    }

    public IReadOnlyList<KeyRecord> List() => List(out _);

    /// <summary>
    /// A key by version id (<c>k_….v2</c>) or by series id (its newest version). Throws
    /// <see cref="Errors.KeyNotFoundException"/> or, for an edited row, <see cref="KeyIntegrityException"/>.
    /// </summary>
    public KeyRecord Get(string id) => Row(id).Record;

    /// <summary>Revocation statement stored for a key, if it was revoked.</summary>
    public byte[]? RevocationStatementFor(string id)
    {
        using var command = _file.Connection.CreateCommand();
        command.CommandText = "SELECT statement FROM revocations WHERE key_id = $id";
        command.Parameters.AddWithValue("$id", Get(id).Id);
        return command.ExecuteScalar() as byte[];
    }

    public void Dispose()
    {
        _rows.Dispose();
        _kek.Dispose();
        _file.Dispose();
    }

    private KeyRow Row(string id)
    {
        var row = KeyRows.Find(_file, id) ?? LatestOfSeries(id) ?? throw new Errors.KeyNotFoundException(id);
        if (!_rows.Verify(row)) throw new KeyIntegrityException(row.Record.Id, "the row was modified outside Enigm");
        return row;
    }

    private KeyRow? LatestOfSeries(string seriesId) =>
        KeyRows.ReadAll(_file).Where(r => r.Record.SeriesId == seriesId).MaxBy(r => r.Record.Version);

    private CryptoAlgorithm AlgorithmOf(KeyRecord record) =>
        CryptoAlgorithm.All.FirstOrDefault(a => a.Name == record.Algorithm)
        ?? throw new KeyIntegrityException(record.Id, $"unknown algorithm {record.Algorithm}");

    private WrapContext ContextOf(KeyRecord k) => new(StoreId, k.Id, k.Purpose.ToName(), k.Version, k.Algorithm, k.SuiteId);
}
