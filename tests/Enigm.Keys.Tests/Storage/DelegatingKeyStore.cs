using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;

namespace Enigm.Keys.Tests.Storage;

/// <summary>
/// An <see cref="IKeyStore"/> decorator that forwards everything to <c>inner</c>; test stores
/// (<see cref="CountingKeyStore"/>, and Enigm.Keys.CrashHost's PausingKeyStore, which links this file)
/// override only the calls they observe. Transactions are wrapped by <see cref="Wrap"/>, whose default
/// forwards too. One place to extend when <see cref="IKeyStore"/> grows.
/// </summary>
internal abstract class DelegatingKeyStore(IKeyStore inner) : IKeyStore
{
    protected IKeyStore Inner { get; } = inner;

    public string Location => Inner.Location;

    public string StoreId => Inner.StoreId;

    public ProtectorDescriptor Protector => Inner.Protector;

    public string? Setting(string name) => Inner.Setting(name);

    public IReadOnlyList<KeyRow> Keys() => Inner.Keys();

    public KeyRow? Key(string id) => Inner.Key(id);

    public IReadOnlyList<KeyRow> ActiveKeys(KeyPurpose purpose) => Inner.ActiveKeys(purpose);

    public byte[]? RevocationStatement(string keyId) => Inner.RevocationStatement(keyId);

    public IReadOnlyList<AuditEntry> AuditEntries() => Inner.AuditEntries();

    public IReadOnlyList<AuditCheckpoint> AuditCheckpoints() => Inner.AuditCheckpoints();

    public virtual IKeyStoreTransaction Begin() => Wrap(Inner.Begin());

    public void Compact() => Inner.Compact();

    public void Dispose() => Inner.Dispose();

    /// <summary>The transaction handed to the key ring; override to observe writes.</summary>
    protected virtual IKeyStoreTransaction Wrap(IKeyStoreTransaction transaction) => new DelegatingTransaction(transaction);

    /// <summary>An <see cref="IKeyStoreTransaction"/> that forwards everything; override the writes to observe.</summary>
    protected class DelegatingTransaction(IKeyStoreTransaction inner) : IKeyStoreTransaction
    {
        public virtual void InsertKey(KeyRow row) => inner.InsertKey(row);

        public virtual void UpdateKey(KeyRecord record, byte[] mac) => inner.UpdateKey(record, mac);

        public void ReplaceWrapped(string id, WrappedKey? wrapped, byte[] mac) => inner.ReplaceWrapped(id, wrapped, mac);

        public void EraseWrapped(string id) => inner.EraseWrapped(id);

        public WrappedKey? Wrapped(string id) => inner.Wrapped(id);

        public IReadOnlyList<string> KeyIds() => inner.KeyIds();

        public void SetSetting(string name, string value) => inner.SetSetting(name, value);

        public void AddRevocation(string keyId, byte[] statement) => inner.AddRevocation(keyId, statement);

        public AuditEntry AppendAudit(string eventKind, string? keyId, string detail, DateTimeOffset time) =>
            inner.AppendAudit(eventKind, keyId, detail, time);

        public (long Sequence, byte[] Hash) AuditHead() => inner.AuditHead();

        public AuditCheckpoint WriteCheckpoint(ISignatureScheme scheme, PrivateKey signer, string signerKeyId, DateTimeOffset time) =>
            inner.WriteCheckpoint(scheme, signer, signerKeyId, time);

        public virtual void Commit() => inner.Commit();

        public void Dispose() => inner.Dispose();
    }
}
