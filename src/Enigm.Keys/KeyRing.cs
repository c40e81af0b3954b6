using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
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
/// transaction, the set of key rows is committed to under a MAC (so a deleted row is noticed), and
/// the log is checkpointed with the store's own signing key. State lives behind <see cref="IKeyStore"/>
/// (SQLite by default).
/// </summary>
public sealed partial class KeyRing : IDisposable
{
    private readonly IKeyStore _store;
    // Replaced together when the protector changes (every key is rewrapped under the new KEK).
    private SecretBytes _kek;
    private RowAuthenticator _rows;

    private KeyRing(IKeyStore store, SecretBytes kek, KeyRingOptions options)
    {
        _store = store;
        _kek = kek;
        Options = options;
        StoreId = store.StoreId;
        _rows = new RowAuthenticator(kek, StoreId);
    }

    public KeyRingOptions Options { get; }

    public string StoreId { get; }

    /// <summary>Where the store lives (the SQLite file path by default).</summary>
    public string StorePath => _store.Location;

    public string ProtectorKind => _store.Protector.Kind;

    private DateTimeOffset Now => Options.Clock.GetUtcNow();

    /// <summary>Creates a SQLite store at <paramref name="path"/> (0600, its folder 0700 when created) with its storage (audit-signing) key.</summary>
    public static KeyRing Create(string path, IKeyProtector protector, KeyRingOptions? options = null) =>
        Create((storeId, descriptor) => SqliteKeyStore.Create(path, storeId, descriptor), protector, options);

    /// <summary>
    /// Creates a store through <paramref name="createStore"/> (given the new store id and the protector's
    /// descriptor), then records its creation and generates its storage key. The protector runs first,
    /// so a refused or cancelled passphrase leaves nothing behind.
    /// </summary>
    public static KeyRing Create(Func<string, ProtectorDescriptor, IKeyStore> createStore, IKeyProtector protector, KeyRingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(createStore);
        ArgumentNullException.ThrowIfNull(protector);
        options ??= new KeyRingOptions();
        var (descriptor, kek) = protector.Create();
        var storeId = "st_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        IKeyStore store;
        try
        {
            store = createStore(storeId, descriptor);
        }
        catch
        {
            kek.Dispose();
            throw;
        }

        var ring = new KeyRing(store, kek, options);
        try
        {
            ring.Commit(tx => tx.AppendAudit("store-created", null, $"protector={protector.Kind}", ring.Now), checkpoint: false);
            ring.Generate(KeyPurpose.Storage, reason: "store signing key (audit checkpoints)");
            return ring;
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens and unlocks the SQLite store at <paramref name="path"/>. A wrong passphrase throws
    /// <see cref="WrongPassphraseException"/> before anything is written; a file that is not an intact
    /// store throws <see cref="KeyStoreException"/>.
    /// </summary>
    public static KeyRing Open(string path, Func<ProtectorDescriptor, IKeyProtector> protectorFor, KeyRingOptions? options = null) =>
        Open(SqliteKeyStore.Open(path), protectorFor, options);

    /// <summary>Unlocks an opened <paramref name="store"/>; the ring owns it from here (and disposes it on failure).</summary>
    public static KeyRing Open(IKeyStore store, Func<ProtectorDescriptor, IKeyProtector> protectorFor, KeyRingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(protectorFor);
        try
        {
            var descriptor = store.Protector;
            var kek = protectorFor(descriptor).Unlock(descriptor);
            return new KeyRing(store, kek, options ?? new KeyRingOptions());
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every key version, with rows that fail authentication — and keys whose row was deleted (named by
    /// the audit log or missing from the authenticated key set) — listed in <paramref name="damaged"/>.
    /// </summary>
    public IReadOnlyList<KeyRecord> List(out IReadOnlyList<string> damaged)
    {
        var good = new List<KeyRecord>();
        var bad = new List<string>();
        var rows = _store.Keys();
        foreach (var row in rows)
        {
            if (_rows.Verify(row)) good.Add(row.Record);
            else bad.Add(row.Record.Id);
        }

        bad.AddRange(CheckKeySet(rows).Select(p => p.KeyId));
        damaged = bad;
        return good;
    }

    /// <summary>Every key version whose row authenticates (no key-set check: see <see cref="List(out IReadOnlyList{string})"/>).</summary>
    public IReadOnlyList<KeyRecord> List() => [.. _store.Keys().Where(_rows.Verify).Select(r => r.Record)];

    /// <summary>
    /// A key by version id (<c>k_….v2</c>) or by series id (its newest version). Throws
    /// <see cref="Errors.KeyNotFoundException"/> or, for an edited row, <see cref="KeyIntegrityException"/>.
    /// </summary>
    public KeyRecord Get(string id) => Row(id).Record;

    /// <summary>
    /// The signed revocation statement stored for a revoked key (kept in the store, so it can be exported
    /// again at any time), or null if the key was not revoked.
    /// </summary>
    public byte[]? RevocationStatementFor(string id) => _store.RevocationStatement(Get(id).Id);

    public void Dispose()
    {
        _rows.Dispose();
        _kek.Dispose();
        _store.Dispose();
    }

    private KeyRow Row(string id)
    {
        var row = _store.Key(id) ?? LatestOfSeries(id) ?? throw new Errors.KeyNotFoundException(id);
        if (!_rows.Verify(row)) throw new KeyIntegrityException(row.Record.Id, "the row was modified outside Enigm");
        return row;
    }

    private KeyRow? LatestOfSeries(string seriesId) =>
        _store.Keys().Where(r => r.Record.SeriesId == seriesId).MaxBy(r => r.Record.Version);

    private CryptoAlgorithm AlgorithmOf(KeyRecord record) =>
        CryptoAlgorithm.All.FirstOrDefault(a => a.Name == record.Algorithm)
        ?? throw new KeyIntegrityException(record.Id, $"unknown algorithm {record.Algorithm}");

    private WrapContext ContextOf(KeyRecord k) => new(StoreId, k.Id, k.Purpose.ToName(), k.Version, k.Algorithm, k.SuiteId);
}
