using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;

namespace Enigm.Keys.Tests.Storage;

/// <summary>An <see cref="IKeyStore"/> decorator that records commits and key-row writes.</summary>
internal sealed class CountingKeyStore(IKeyStore inner) : IKeyStore
{
    public int Commits { get; private set; }

    public List<string> KeyWrites { get; } = [];

    public string Location => inner.Location;

    public string StoreId => inner.StoreId;

    public ProtectorDescriptor Protector => inner.Protector;

    public string? Setting(string name) => inner.Setting(name);

    public IReadOnlyList<KeyRow> Keys() => inner.Keys();

    public KeyRow? Key(string id) => inner.Key(id);

    public IReadOnlyList<KeyRow> ActiveKeys(KeyPurpose purpose) => inner.ActiveKeys(purpose);

    public byte[]? RevocationStatement(string keyId) => inner.RevocationStatement(keyId);

    public IReadOnlyList<AuditEntry> AuditEntries() => inner.AuditEntries();

    public IReadOnlyList<AuditCheckpoint> AuditCheckpoints() => inner.AuditCheckpoints();

    public IKeyStoreTransaction Begin() => new Transaction(inner.Begin(), this);

    public void Compact() => inner.Compact();

    public void Dispose() => inner.Dispose();

    private sealed class Transaction(IKeyStoreTransaction inner, CountingKeyStore owner) : IKeyStoreTransaction
    {
        public void InsertKey(KeyRow row)
        {
            owner.KeyWrites.Add("insert");
            inner.InsertKey(row);
        }

        public void UpdateKey(KeyRecord record, byte[] mac)
        {
            owner.KeyWrites.Add("update");
            inner.UpdateKey(record, mac);
        }

        public void ReplaceWrapped(string id, WrappedKey? wrapped, byte[] mac) => inner.ReplaceWrapped(id, wrapped, mac);

        public void EraseWrapped(string id) => inner.EraseWrapped(id);

        public WrappedKey? Wrapped(string id) => inner.Wrapped(id);

        public IReadOnlyList<string> KeyIds() => inner.KeyIds();

        public void SetSetting(string name, string value) => inner.SetSetting(name, value);

        public void AddRevocation(string keyId, byte[] statement) => inner.AddRevocation(keyId, statement);

        public AuditEntry AppendAudit(string eventKind, string? keyId, string detail, DateTimeOffset time) => inner.AppendAudit(eventKind, keyId, detail, time);

        public (long Sequence, byte[] Hash) AuditHead() => inner.AuditHead();

        public AuditCheckpoint WriteCheckpoint(ISignatureScheme scheme, PrivateKey signer, string signerKeyId, DateTimeOffset time) =>
            inner.WriteCheckpoint(scheme, signer, signerKeyId, time);

        public void Commit()
        {
            owner.Commits++;
            inner.Commit();
        }

        public void Dispose() => inner.Dispose();
    }
}
