using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Keys.Tests.KeyRing;

public sealed class StorageSafetyTests : IDisposable
{
    private readonly TestStore _store = new();

    private Enigm.Keys.KeyRing Ring => _store.Ring;

    public void Dispose() => _store.Dispose();

    [Fact]
    public void No_private_key_bytes_appear_in_the_store_or_its_side_files()
    {
        var keys = new[]
        {
            Ring.Generate(KeyPurpose.DeviceSigning),
            Ring.Generate(KeyPurpose.ReleaseSigning),
            Ring.Generate(KeyPurpose.SignedPrekey),
            Ring.Generate(KeyPurpose.KemPrekey),
        };
        Ring.Sign(keys[0].Id, "use"u8);
        var rotated = Ring.Rotate(keys[1].Id);
        Ring.Destroy(Ring.Revoke(keys[2].Id, "test").Record.Id);

        var secrets = _store.UnwrappedPrivateMaterial();
        string[] expected = [.. keys.Select(k => k.Id).Where(id => id != keys[2].Id), rotated.Id, Ring.List().Single(k => k.Purpose == KeyPurpose.Storage).Id];
        Assert.Equal(expected.Order(StringComparer.Ordinal), secrets.Select(s => s.Id).Order(StringComparer.Ordinal));
        var bytes = _store.AllFileBytes();
        foreach (var (id, material) in secrets)
        {
            // Any 16-byte window of the private material would be a leak.
            for (var offset = 0; offset + 16 <= material.Length; offset += 8)
                Assert.True(bytes.AsSpan().IndexOf(material.AsSpan(offset, 16)) < 0, $"private bytes of {id} found in the store files");
        }
    }

    [Fact]
    public void Destroyed_material_cannot_be_found_even_wrapped()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        var wrapped = ReadWrapped(key.Id);
        Assert.True(_store.AllFileBytes().AsSpan().IndexOf(wrapped) >= 0, "sanity: the wrapped form is stored");

        Ring.Destroy(Ring.Revoke(key.Id, "retire").Record.Id);

        Assert.Equal(KeyState.Destroyed, Ring.Get(key.Id).State);
        Assert.True(_store.AllFileBytes().AsSpan().IndexOf(wrapped.AsSpan(0, 32)) < 0, "wrapped material still present after destroy");
        Assert.Throws<KeyUsageDeniedException>(() => Ring.Verify(key.Id, "m"u8, new byte[10]));
    }

    [Fact]
    public void Wrong_passphrase_is_a_distinct_error_and_leaves_the_store_unchanged()
    {
        Ring.Generate(KeyPurpose.DeviceSigning);
        Ring.Dispose();
        var before = File.ReadAllBytes(_store.Path);

        Assert.Throws<WrongPassphraseException>(() => Enigm.Keys.KeyRing.Open(_store.Path, _ => TestStore.Protector("wrong"), _store.Options));

        Assert.Equal(before, File.ReadAllBytes(_store.Path));
        Assert.Equal(2, _store.Reopen().List().Count);
    }

    [Fact]
    public void An_edited_row_is_reported_with_its_key_id_and_other_keys_stay_usable()
    {
        var victim = Ring.Generate(KeyPurpose.DeviceSigning);
        var other = Ring.Generate(KeyPurpose.DeviceSigning);
        Execute("UPDATE keys SET wrapped = substr(wrapped, 1, 10) || x'00' || substr(wrapped, 12) WHERE id = $id", victim.Id);

        var e = Assert.Throws<KeyIntegrityException>(() => Ring.Sign(victim.Id, "m"u8));
        Assert.Equal(victim.Id, e.KeyId);
        Assert.NotEmpty(Ring.Sign(other.Id, "m"u8));
        Ring.List(out var damaged);
        Assert.Equal([victim.Id], damaged);
    }

    [Fact]
    public void An_edited_state_is_detected()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        Ring.Revoke(key.Id, "compromised");
        Execute("UPDATE keys SET state = 'active' WHERE id = $id", key.Id);
        Assert.Equal(key.Id, Assert.Throws<KeyIntegrityException>(() => Ring.Sign(key.Id, "m"u8)).KeyId);
    }

    [Fact]
    public void A_wrapped_blob_swapped_between_rows_is_detected()
    {
        var a = Ring.Generate(KeyPurpose.DeviceSigning);
        var b = Ring.Generate(KeyPurpose.DeviceSigning);
        Execute("UPDATE keys SET wrapped = (SELECT wrapped FROM keys WHERE id = $other), wrap_nonce = (SELECT wrap_nonce FROM keys WHERE id = $other) WHERE id = $id", a.Id, b.Id);
        Assert.Throws<KeyIntegrityException>(() => Ring.Sign(a.Id, "m"u8));
    }

    [Fact]
    public void Changing_the_passphrase_rewraps_every_key_and_the_old_passphrase_stops_working()
    {
        var key = Ring.Generate(KeyPurpose.DeviceSigning);
        var wrappedBefore = ReadWrapped(key.Id);
        Ring.ChangeProtector(TestStore.Protector("new passphrase: correct horse battery staple"));
        Assert.NotEqual(wrappedBefore, ReadWrapped(key.Id));
        Ring.Dispose();

        Assert.Throws<WrongPassphraseException>(() => Enigm.Keys.KeyRing.Open(_store.Path, _ => TestStore.Protector(_store.Passphrase), _store.Options));
        var reopened = _store.Reopen("new passphrase: correct horse battery staple");
        Assert.NotEmpty(reopened.Sign(key.Id, "m"u8));
        Assert.True(reopened.VerifyAudit().Ok);
    }

    private byte[] ReadWrapped(string id)
    {
        using var connection = new SqliteConnection($"Data Source={_store.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT wrapped FROM keys WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (byte[])command.ExecuteScalar()!;
    }

    private void Execute(string sql, string id, string? other = null)
    {
        using var connection = new SqliteConnection($"Data Source={_store.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        if (other is not null) command.Parameters.AddWithValue("$other", other);
        Assert.Equal(1, command.ExecuteNonQuery() > 0 ? 1 : 0);
    }
}
