using Enigm.Keys.Model;
using Enigm.Keys.Storage;
using Enigm.Keys.Tests.KeyRing;
using Xunit;

namespace Enigm.Keys.Tests.Storage;

/// <summary>The key ring holds its state only through <see cref="IKeyStore"/>: a decorator sees every write.</summary>
public sealed class KeyStoreSeamTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void A_rotation_is_one_transaction_through_the_store_interface()
    {
        var key = _store.Ring.Generate(KeyPurpose.DeviceSigning);
        _store.Ring.Dispose();
        var counting = new CountingKeyStore(SqliteKeyStore.Open(_store.Path));
        using var ring = Enigm.Keys.KeyRing.Open(counting, _ => TestStore.Protector(_store.Passphrase), _store.Options);

        ring.Rotate(key.Id);

        // One transaction for the rotation itself, one for the audit checkpoint after it.
        Assert.Equal(2, counting.Commits);
        Assert.Equal(["update", "insert"], counting.KeyWrites);
    }

    [Fact]
    public void Storage_failures_surface_as_key_store_exceptions()
    {
        _store.Ring.Dispose();
        File.WriteAllBytes(_store.Path, new byte[4096]);
        Assert.Throws<Errors.KeyStoreException>(() => SqliteKeyStore.Open(_store.Path));
    }
}
