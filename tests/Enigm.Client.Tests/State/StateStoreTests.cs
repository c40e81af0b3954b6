using Enigm.Client.State;
using Enigm.Client.Tests.Support;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Keys;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.States;
using Xunit;

namespace Enigm.Client.Tests.State;

/// <summary>The client's stores over protected records, with no relay.</summary>
public sealed class StateStoreTests : IDisposable
{
    private readonly TestDevices _devices = new();
    private readonly string _path;
    private KeyRing _ring;

    public StateStoreTests()
    {
        _path = Path.Combine(_devices.Folder, "keys.db");
        _ring = KeyRing.Create(_path, TestDevices.Protector());
    }

    public void Dispose()
    {
        _ring.Dispose();
        _devices.Dispose();
    }

    private KeyRing Reopen()
    {
        _ring.Dispose();
        _ring = KeyRing.Open(_path, _ => TestDevices.Protector());
        return _ring;
    }

    private static PrekeyRecord NewPrekey(PrekeyKind kind, uint id) =>
        new(kind, id, CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey(), DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

    [Fact]
    public void Prekeys_persist_across_reopening_and_ids_are_never_reused()
    {
        using (var store = new RecordPrekeyStore(_ring.Records))
        {
            var first = store.AllocateIds(3);
            store.Add([NewPrekey(PrekeyKind.OneTimePrekey, first), NewPrekey(PrekeyKind.OneTimePrekey, first + 1)]);
            store.Delete(PrekeyKind.OneTimePrekey, first + 1);
        }

        using var reopened = new RecordPrekeyStore(Reopen().Records);
        Assert.Equal(1, reopened.Count(PrekeyKind.OneTimePrekey));
        Assert.Equal(4u, reopened.AllocateIds(1));
        Assert.NotNull(reopened.Get(PrekeyKind.OneTimePrekey, 1));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), reopened.List(PrekeyKind.OneTimePrekey)[0].CreatedAt);
    }

    [Fact]
    public void A_one_time_prekey_is_taken_once_even_by_concurrent_callers()
    {
        using var store = new RecordPrekeyStore(_ring.Records);
        store.Add([NewPrekey(PrekeyKind.OneTimePrekey, 7)]);
        var results = new PrekeyRecord?[8];
        Parallel.For(0, results.Length, i => results[i] = store.Take(PrekeyKind.OneTimePrekey, 7));
        Assert.Single(results, r => r is not null);
        Assert.Null(store.Get(PrekeyKind.OneTimePrekey, 7));
        foreach (var r in results) r?.Key.Dispose();
    }

    [Fact]
    public void Adding_an_existing_prekey_changes_nothing()
    {
        using var store = new RecordPrekeyStore(_ring.Records);
        store.Add([NewPrekey(PrekeyKind.OneTimePrekey, 1)]);
        Assert.Throws<InvalidOperationException>(() => store.Add([NewPrekey(PrekeyKind.OneTimePrekey, 2), NewPrekey(PrekeyKind.OneTimePrekey, 1)]));
        Assert.Equal(1, store.Count(PrekeyKind.OneTimePrekey));
    }

    [Fact]
    public void A_last_resort_use_is_recorded_once()
    {
        using var store = new RecordPrekeyStore(_ring.Records);
        Assert.True(store.TryRecordLastResortUse(3, [1, 2, 3]));
        Assert.False(store.TryRecordLastResortUse(3, [1, 2, 3]));
        Assert.True(store.TryRecordLastResortUse(3, [1, 2, 4]));
    }

    [Fact]
    public void Sessions_round_trip_and_delete()
    {
        var sessions = new RecordSessionStore(_ring.Records, RecordNamer.For(_ring.Records));
        sessions.Store("acct/dev", [1, 2, 3]);
        Assert.Equal([1, 2, 3], new RecordSessionStore(Reopen().Records, RecordNamer.For(_ring.Records)).Load("acct/dev"));
        var again = new RecordSessionStore(_ring.Records, RecordNamer.For(_ring.Records));
        again.Delete("acct/dev");
        Assert.Null(again.Load("acct/dev"));
    }

    [Fact]
    public void The_device_log_tracker_over_records_refuses_a_rollback_after_reopening()
    {
        using var key = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
        using var second = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
        var writer = DeviceLogWriter.CreateGenesis(DeviceLogWriter.DeviceIdFor(key), "one", key);
        var genesis = writer.Entries.ToList();
        writer.AddDevice(DeviceLogWriter.DeviceIdFor(second), "two", second, DeviceLogWriter.DeviceIdFor(key), key);
        new DeviceLogTracker(new RecordDeviceLogStore(_ring.Records, RecordNamer.For(_ring.Records))).Accept(writer.Entries, writer.Account);

        var tracker = new DeviceLogTracker(new RecordDeviceLogStore(Reopen().Records, RecordNamer.For(_ring.Records)));
        Assert.Equal(2, tracker.Load(writer.Account)!.Devices.Count);
        Assert.ThrowsAny<DeviceLogException>(() => tracker.Accept(genesis, writer.Account));
    }

    [Fact]
    public void Trust_states_keep_their_history_across_reopening()
    {
        var fingerprint = new AccountFingerprint(new byte[32]);
        var book = new TrustBook(new RecordTrustStateStore(_ring.Records, RecordNamer.For(_ring.Records)), TrustPolicy.Default, TimeProvider.System);
        book.ObserveContact("bob", fingerprint);
        book.MarkVerified("bob", fingerprint, "test");
        book.ObserveDevice(fingerprint.Hex, "d1", false, DateTimeOffset.UnixEpoch);

        var store = new RecordTrustStateStore(Reopen().Records, RecordNamer.For(_ring.Records));
        var bob = store.GetContact("bob")!;
        Assert.Equal(TrustState.Verified, bob.State);
        Assert.Equal(2, bob.History.Count);
        Assert.Equal(fingerprint, bob.VerifiedFingerprint);
        Assert.Single(store.Devices());
    }

    [Fact]
    public void Seen_ids_are_bounded_and_the_newest_are_kept()
    {
        var seen = new SeenMessages(_ring.Records, capacity: 300);
        for (var i = 0; i < 600; i++)
        {
            var id = i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
            _ring.Records.Update(tx =>
            {
                seen.Add(tx, id);
                return 0;
            });
        }

        Assert.True(seen.Contains(599.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(seen.Contains(0.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(_ring.Records.Names("client/seen-order/").Count <= 300 + 256);
    }

    [Fact]
    public void No_plaintext_of_the_client_records_reaches_the_file()
    {
        var contacts = new ContactBook(_ring.Records, RecordNamer.For(_ring.Records));
        contacts.Put(new ContactRecord("Zebediah-Marker", new string('a', 64), [9, 9, 9], DateTimeOffset.UnixEpoch));
        var trust = new TrustBook(new RecordTrustStateStore(_ring.Records, RecordNamer.For(_ring.Records)), TrustPolicy.Default, TimeProvider.System);
        trust.ObserveContact("Zebediah-Marker", AccountFingerprint.FromHex(new string('a', 64)));
        new RecordSessionStore(_ring.Records, RecordNamer.For(_ring.Records)).Store(new string('a', 64) + "/device-Marker", [1]);
        _ring.Dispose();
        var bytes = File.ReadAllBytes(_path);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("Zebediah-Marker"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("device-Marker"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(new string('a', 64))));
        _ring = KeyRing.Open(_path, _ => TestDevices.Protector());
        Assert.Equal("Zebediah-Marker", new ContactBook(_ring.Records, RecordNamer.For(_ring.Records)).Get("Zebediah-Marker")!.Name);
    }
}
