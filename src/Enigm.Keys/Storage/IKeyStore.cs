using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;

namespace Enigm.Keys.Storage;

/// <summary>
/// Where a <see cref="KeyRing"/> keeps its state (the libsignal store-interface and ASP.NET Core Data
/// Protection <c>IXmlRepository</c> seam): key rows, the audit log, the protector descriptor and a few
/// named settings. No policy lives here; the key ring decides, authenticates every row and setting
/// itself (<see cref="RowAuthenticator"/>) and writes only inside a <see cref="IKeyStoreTransaction"/>.
/// <see cref="SqliteKeyStore"/> is the implementation the CLI, the client and the server use.
/// Every failure of the underlying storage surfaces as <see cref="Errors.KeyStoreException"/>.
/// </summary>
public interface IKeyStore : IDisposable
{
    /// <summary>Where the store lives, for messages (a file path for SQLite).</summary>
    string Location { get; }

    /// <summary>The store's random id (bound into every wrap and row MAC).</summary>
    string StoreId { get; }

    /// <summary>The protector that unlocks this store's KEK.</summary>
    ProtectorDescriptor Protector { get; }

    /// <summary>A named setting, or null when the store has none.</summary>
    string? Setting(string name);

    /// <summary>Every key row, ordered by series then version (unauthenticated: the caller checks each MAC).</summary>
    IReadOnlyList<KeyRow> Keys();

    /// <summary>One key version by id, or null.</summary>
    KeyRow? Key(string id);

    /// <summary>Active rows of one purpose (unauthenticated).</summary>
    IReadOnlyList<KeyRow> ActiveKeys(KeyPurpose purpose);

    /// <summary>The revocation statement stored for a key version, or null.</summary>
    byte[]? RevocationStatement(string keyId);

    /// <summary>Every audit entry in sequence order, exactly as stored (see <see cref="AuditVerifier"/>).</summary>
    IReadOnlyList<AuditEntry> AuditEntries();

    /// <summary>Every audit checkpoint in the order written.</summary>
    IReadOnlyList<AuditCheckpoint> AuditCheckpoints();

    /// <summary>Starts the one write transaction; nothing is visible to other readers until it commits.</summary>
    IKeyStoreTransaction Begin();

    /// <summary>Drops freed storage so destroyed material is gone, not only unlinked (SQLite: VACUUM).</summary>
    void Compact();

    /// <summary>The table of sealed records (<see cref="Records.ProtectedRecords"/>), or null when this store keeps none.</summary>
    Records.IRecordTable? Records => null;
}

/// <summary>
/// One atomic change to an <see cref="IKeyStore"/>: all or nothing. Disposing without
/// <see cref="Commit"/> rolls back.
/// </summary>
public interface IKeyStoreTransaction : IDisposable
{
    void InsertKey(KeyRow row);

    /// <summary>Updates everything but the wrapped material; throws <see cref="Errors.KeyNotFoundException"/> for an unknown id.</summary>
    void UpdateKey(KeyRecord record, byte[] mac);

    /// <summary>Replaces a row's wrapped material (protector change) and its MAC.</summary>
    void ReplaceWrapped(string id, WrappedKey? wrapped, byte[] mac);

    /// <summary>Overwrites the wrapped material in place, then removes it (destroy).</summary>
    void EraseWrapped(string id);

    /// <summary>A row's wrapped material as it stands inside this transaction.</summary>
    WrappedKey? Wrapped(string id);

    /// <summary>Every key version id as it stands inside this transaction.</summary>
    IReadOnlyList<string> KeyIds();

    void SetSetting(string name, string value);

    void AddRevocation(string keyId, byte[] statement);

    /// <summary>Appends one event to the hash-chained audit log (<see cref="AuditLog.Append"/> rules).</summary>
    AuditEntry AppendAudit(string eventKind, string? keyId, string detail, DateTimeOffset time);

    /// <summary>The last audit entry's sequence and hash inside this transaction (0 and zeros when empty).</summary>
    (long Sequence, byte[] Hash) AuditHead();

    /// <summary>Signs the audit head (<see cref="AuditLog.WriteCheckpoint"/> rules).</summary>
    AuditCheckpoint WriteCheckpoint(ISignatureScheme scheme, PrivateKey signer, string signerKeyId, DateTimeOffset time);

    /// <summary>The sealed-record table inside this transaction, or null when the store keeps none.</summary>
    Records.IRecordTableTransaction? Records => null;

    void Commit();
}
