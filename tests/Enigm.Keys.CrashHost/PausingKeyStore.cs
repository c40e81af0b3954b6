using Enigm.Keys.Model;
using Enigm.Keys.Storage;
using Enigm.Keys.Tests.Storage;

namespace Enigm.Keys.CrashHost;

/// <summary>
/// An <see cref="IKeyStore"/> decorator that, at the first occurrence of a named step, writes
/// <c>paused-at</c> next to the store and sleeps so the test can kill the process there. Steps:
/// <c>before-transaction</c> (first <see cref="IKeyStore.Begin"/>), <c>old-deactivated</c> (after the
/// first key update), <c>new-inserted</c> (after the first key insert), <c>committed</c> (after the first commit).
/// </summary>
internal sealed class PausingKeyStore(IKeyStore inner, string pauseAt, string markerFolder) : DelegatingKeyStore(inner)
{
    private bool _paused;

    public override IKeyStoreTransaction Begin()
    {
        Step("before-transaction");
        return base.Begin();
    }

    protected override IKeyStoreTransaction Wrap(IKeyStoreTransaction transaction) => new Pausing(transaction, this);

    private void Step(string name)
    {
        if (_paused || name != pauseAt) return;
        _paused = true;
        File.WriteAllText(Path.Combine(markerFolder, "paused-at"), name);
        Thread.Sleep(TimeSpan.FromMinutes(2));
    }

    private sealed class Pausing(IKeyStoreTransaction inner, PausingKeyStore owner) : DelegatingTransaction(inner)
    {
        public override void InsertKey(KeyRow row)
        {
            base.InsertKey(row);
            owner.Step("new-inserted");
        }

        public override void UpdateKey(KeyRecord record, byte[] mac)
        {
            base.UpdateKey(record, mac);
            owner.Step("old-deactivated");
        }

        public override void Commit()
        {
            base.Commit();
            owner.Step("committed");
        }
    }
}
