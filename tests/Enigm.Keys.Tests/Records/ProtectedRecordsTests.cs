using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Keys.Errors;
using Enigm.Keys.Records;
using Enigm.Keys.Storage;
using Enigm.Keys.Tests.KeyRing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Keys.Tests.Records;

public sealed class ProtectedRecordsTests : IDisposable
{
    private readonly TestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Stores_and_reads_back_a_record_across_reopening()
    {
        _store.Ring.Records.Put("session/alice/1", "ratchet state"u8);
        var reopened = _store.Reopen();
        Assert.Equal("ratchet state", Encoding.UTF8.GetString(reopened.Records.Get("session/alice/1")!));
        Assert.Null(reopened.Records.Get("session/alice/2"));
    }

    [Fact]
    public void Lists_names_by_prefix_in_ordinal_order()
    {
        var records = _store.Ring.Records;
        records.Put("prekey/b", [1]);
        records.Put("prekey/a", [2]);
        records.Put("prekeys", [3]);
        records.Put("session/x", [4]);
        Assert.Equal(["prekey/a", "prekey/b"], records.Names("prekey/"));
        Assert.Equal(4, records.Names("").Count);
    }

    [Fact]
    public void Delete_removes_the_record_and_reports_whether_it_was_there()
    {
        var records = _store.Ring.Records;
        records.Put("a", [1]);
        Assert.True(records.Delete("a"));
        Assert.False(records.Delete("a"));
        Assert.Null(records.Get("a"));
    }

    [Fact]
    public void Plaintext_never_reaches_the_store_file()
    {
        var marker = Encoding.UTF8.GetBytes("PLAINTEXT-MARKER-" + Guid.NewGuid().ToString("N"));
        _store.Ring.Records.Put("secret", marker);
        _store.Ring.Records.Put("secret", [.. marker, .. marker]);
        _store.Ring.Dispose();
        var bytes = _store.AllFileBytes();
        Assert.NotEmpty(bytes);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(marker));
        _store.Reopen();
    }

    [Fact]
    public void An_edited_record_is_refused_with_a_typed_error()
    {
        _store.Ring.Records.Put("trust/contact", "verified"u8);
        _store.Ring.Dispose();
        FlipLastByte(_store.Path, "trust/contact");
        var ring = _store.Reopen();
        var error = Assert.Throws<RecordIntegrityException>(() => ring.Records.Get("trust/contact"));
        Assert.Equal("trust/contact", error.Name);
        Assert.Equal("record-integrity", error.Code);
    }

    [Fact]
    public void A_record_moved_to_another_name_does_not_open()
    {
        _store.Ring.Records.Put("contact/bob/state", "verified"u8);
        _store.Ring.Records.Put("contact/eve/state", "unverified"u8);
        _store.Ring.Dispose();
        Execute(_store.Path, "UPDATE records SET nonce = (SELECT nonce FROM records WHERE name = 'contact/bob/state'), sealed = (SELECT sealed FROM records WHERE name = 'contact/bob/state') WHERE name = 'contact/eve/state'");
        var ring = _store.Reopen();
        Assert.Throws<RecordIntegrityException>(() => ring.Records.Get("contact/eve/state"));
        Assert.Equal("verified", Encoding.UTF8.GetString(ring.Records.Get("contact/bob/state")!));
    }

    [Fact]
    public void A_record_copied_from_another_store_does_not_open()
    {
        using var other = new TestStore(_store.Passphrase);
        other.Ring.Records.Put("device", "other device"u8);
        _store.Ring.Records.Put("device", "this device"u8);
        other.Ring.Dispose();
        _store.Ring.Dispose();
        byte[] nonce, sealedBytes;
        using (var source = new SqliteConnection($"Data Source={other.Path};Pooling=False"))
        {
            source.Open();
            using var read = source.CreateCommand();
            read.CommandText = "SELECT nonce, sealed FROM records WHERE name = 'device'";
            using var reader = read.ExecuteReader();
            Assert.True(reader.Read());
            nonce = (byte[])reader.GetValue(0);
            sealedBytes = (byte[])reader.GetValue(1);
        }

        using (var target = new SqliteConnection($"Data Source={_store.Path};Pooling=False"))
        {
            target.Open();
            using var write = target.CreateCommand();
            write.CommandText = "UPDATE records SET nonce = $o, sealed = $s WHERE name = 'device'";
            write.Parameters.AddWithValue("$o", nonce);
            write.Parameters.AddWithValue("$s", sealedBytes);
            Assert.Equal(1, write.ExecuteNonQuery());
        }

        var ring = _store.Reopen();
        Assert.Throws<RecordIntegrityException>(() => ring.Records.Get("device"));
        other.Reopen();
    }

    [Fact]
    public void A_wrong_passphrase_reads_no_record()
    {
        _store.Ring.Records.Put("a", [1, 2, 3]);
        Assert.Throws<WrongPassphraseException>(() => _store.Reopen("not the passphrase"));
        Assert.Equal([1, 2, 3], _store.Reopen().Records.Get("a"));
    }

    [Fact]
    public void Update_commits_all_changes_or_none()
    {
        var records = _store.Ring.Records;
        records.Put("counter", [1]);
        Assert.Throws<InvalidOperationException>(() => records.Update<int>(tx =>
        {
            tx.Put("counter", [2]);
            tx.Put("other", [9]);
            throw new InvalidOperationException("fails halfway");
        }));
        Assert.Equal([1], records.Get("counter"));
        Assert.Null(records.Get("other"));

        var taken = records.Update(tx =>
        {
            var value = tx.Get("counter");
            tx.Delete("counter");
            return value;
        });
        Assert.Equal([1], taken);
        Assert.Null(records.Get("counter"));
    }

    [Fact]
    public void Stores_a_private_key_without_the_caller_exporting_it()
    {
        using var key = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey();
        _store.Ring.Records.PutKey("prekey/1", key, [7, 7]);
        var ring = _store.Reopen();
        using var loaded = ring.Records.GetKey("prekey/1")!;
        Assert.Equal(key.PublicKey, loaded.Key.PublicKey);
        Assert.Equal([7, 7], loaded.Metadata);
        Assert.Null(ring.Records.GetKey("prekey/2"));
    }

    [Fact]
    public void A_record_that_is_not_a_key_is_refused_as_a_key()
    {
        _store.Ring.Records.Put("not-a-key", "hello"u8);
        Assert.Throws<RecordIntegrityException>(() => _store.Ring.Records.GetKey("not-a-key"));
    }

    [Fact]
    public void Changing_the_protector_reseals_every_record()
    {
        _store.Ring.Records.Put("a", "kept"u8);
        _store.Ring.ChangeProtector(TestStore.Protector("a new and much longer passphrase for the test store"));
        var ring = _store.Reopen("a new and much longer passphrase for the test store");
        Assert.Equal("kept", Encoding.UTF8.GetString(ring.Records.Get("a")!));
    }

    [Fact]
    public void A_store_created_before_records_existed_gains_the_table_on_open()
    {
        _store.Ring.Dispose();
        Execute(_store.Path, "DROP TABLE records");
        var ring = _store.Reopen();
        ring.Records.Put("a", [1]);
        Assert.Equal([1], ring.Records.Get("a"));
    }

    [Fact]
    public void Refuses_empty_and_overlong_names()
    {
        Assert.ThrowsAny<ArgumentException>(() => _store.Ring.Records.Put("", [1]));
        Assert.ThrowsAny<ArgumentException>(() => _store.Ring.Records.Put(new string('n', RecordSealing.MaxNameBytes + 1), [1]));
    }

    [Fact]
    public void A_store_without_a_record_table_says_so()
    {
        var counting = KeyStoreWithoutRecords();
        using var ring = Enigm.Keys.KeyRing.Open(counting, _ => TestStore.Protector(_store.Passphrase), _store.Options);
        Assert.Throws<KeyStoreException>(() => ring.Records.Put("a", [1]));
    }

    private IKeyStore KeyStoreWithoutRecords()
    {
        _store.Ring.Dispose();
        return new Storage.CountingKeyStore(SqliteKeyStore.Open(_store.Path));
    }

    private static void FlipLastByte(string path, string name)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT sealed FROM records WHERE name = $n";
        read.Parameters.AddWithValue("$n", name);
        var bytes = (byte[])read.ExecuteScalar()!;
        bytes[^1] ^= 1;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE records SET sealed = $s WHERE name = $n";
        write.Parameters.AddWithValue("$s", bytes);
        write.Parameters.AddWithValue("$n", name);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
