using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;

namespace Enigm.Keys.CrashHost;

/// <summary>
/// An <see cref="IKeyStore"/> decorator that, at the first occurrence of a named step, writes
/// <c>paused-at</c> next to the store and sleeps so the test can kill the process there. Steps:
/// <c>before-transaction</c> (first <see cref="IKeyStore.Begin"/>), <c>old-deactivated</c> (after the
/// first key update), <c>new-inserted</c> (after the first key insert), <c>committed</c> (after the first commit).
/// </summary>
internal sealed class PausingKeyStore(IKeyStore inner, string pauseAt, string markerFolder) : IKeyStore
{
    private bool _paused;

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

    public IKeyStoreTransaction Begin()
    {
        Step("before-transaction");
        return new Transaction(inner.Begin(), this);
    }

    public void Compact() => inner.Compact();

    public void Dispose() => inner.Dispose();

    private void Step(string name)
    {
        if (_paused || name != pauseAt) return;
        _paused = true;
        File.WriteAllText(Path.Combine(markerFolder, "paused-at"), name);
        Thread.Sleep(TimeSpan.FromMinutes(2));
    }

    private sealed class Transaction(IKeyStoreTransaction inner, PausingKeyStore owner) : IKeyStoreTransaction
    {
        public void InsertKey(KeyRow row)
        {
            inner.InsertKey(row);
            owner.Step("new-inserted");
        }

        public void UpdateKey(KeyRecord record, byte[] mac)
        {
            inner.UpdateKey(record, mac);
            owner.Step("old-deactivated");
        }

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

        public void Commit()
        {
            inner.Commit();
            owner.Step("committed");
        }

        public void Dispose() => inner.Dispose();
    }
}
