using Enigm.Keys.Model;
using Enigm.Keys.Storage;

namespace Enigm.Keys.Tests.Storage;

/// <summary>An <see cref="IKeyStore"/> decorator that records commits and key-row writes.</summary>
internal sealed class CountingKeyStore(IKeyStore inner) : DelegatingKeyStore(inner)
{
    public int Commits { get; private set; }

    public List<string> KeyWrites { get; } = [];

    protected override IKeyStoreTransaction Wrap(IKeyStoreTransaction transaction) => new Counting(transaction, this);

    private sealed class Counting(IKeyStoreTransaction inner, CountingKeyStore owner) : DelegatingTransaction(inner)
    {
        public override void InsertKey(KeyRow row)
        {
            owner.KeyWrites.Add("insert");
            base.InsertKey(row);
        }

        public override void UpdateKey(KeyRecord record, byte[] mac)
        {
            owner.KeyWrites.Add("update");
            base.UpdateKey(record, mac);
        }

        public override void Commit()
        {
            owner.Commits++;
            base.Commit();
        }
    }
}
