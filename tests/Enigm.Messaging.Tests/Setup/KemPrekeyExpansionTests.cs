using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Setup;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Setup;

/// <summary>
/// ML-KEM-1024 prekeys decapsulate from the expanded key their handle keeps (docs/benchmarks.md messaging "Fourth
/// pass"): a one-time KEM prekey is still taken out of the store and its handle, with what it cached, disposed once
/// used; the last-resort key's handle stays in the store across setups until rotation deletes it.
/// </summary>
public sealed class KemPrekeyExpansionTests : IDisposable
{
    private readonly TestAccount _alice = TestAccount.Create("alice");
    private readonly TestAccount _bob = TestAccount.Create("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private VerifiedIdentity AliceIdentity => IdentityCertificate.Verify(_alice.Primary.Identity.Certificate, _alice.Verified);

    private byte[] Initiate(bool withOneTimeKeys)
    {
        var full = PrekeyBundle.Decode(_bob.Primary.Prekeys.PublishBundle());
        var fetched = withOneTimeKeys ? full.WithOnly(full.OneTimePrekeys[0].Id, full.OneTimeKemPrekeys[0].Id) : full.WithOnly(null, null);
        using var initiation = PqxdhInitiator.Start(_alice.Primary.Identity, PrekeyBundleVerifier.Verify(fetched.Encode(), _bob.Verified));
        return initiation.InitialMessage;
    }

    [Fact]
    public void A_used_one_time_KEM_prekey_is_deleted_and_its_handle_disposed()
    {
        var store = new RecordingStore(_bob.Primary.Store);
        var message = Initiate(withOneTimeKeys: true);
        var kemId = PqxdhInitialMessage.Decode(message).KemPrekeyId;

        using (PqxdhResponder.Accept(_bob.Primary.Identity, store, AliceIdentity, message))
        {
        }

        var taken = Assert.Single(store.Taken, r => r.Kind == PrekeyKind.OneTimeKemPrekey);
        Assert.Equal(kemId, taken.Id);
        Assert.True(taken.Key.IsDisposed); // with it the expanded key it cached, zeroed
        Assert.Null(_bob.Primary.Store.Get(PrekeyKind.OneTimeKemPrekey, kemId));
        Assert.Throws<PrekeyUnavailableException>(() => PqxdhResponder.Accept(_bob.Primary.Identity, store, AliceIdentity, message));
    }

    [Fact]
    public void The_last_resort_KEM_prekey_handle_serves_several_setups_and_is_disposed_when_rotation_deletes_it()
    {
        var first = Initiate(withOneTimeKeys: false);
        var second = Initiate(withOneTimeKeys: false);
        var id = PqxdhInitialMessage.Decode(first).KemPrekeyId;
        var handle = _bob.Primary.Store.Get(PrekeyKind.LastResortKemPrekey, id)!;

        using (var a = PqxdhResponder.Accept(_bob.Primary.Identity, _bob.Primary.Store, AliceIdentity, first))
        using (var b = PqxdhResponder.Accept(_bob.Primary.Identity, _bob.Primary.Store, AliceIdentity, second))
            Assert.False(a.SharedSecret.FixedTimeEquals(b.SharedSecret.Span));

        Assert.False(handle.Key.IsDisposed);
        Assert.Same(handle, _bob.Primary.Store.Get(PrekeyKind.LastResortKemPrekey, id));
        _bob.Primary.Store.Delete(PrekeyKind.LastResortKemPrekey, id);
        Assert.True(handle.Key.IsDisposed);
    }

    /// <summary>The store as it is, remembering the records it hands out through <see cref="Take"/>.</summary>
    private sealed class RecordingStore(IPrekeyStore inner) : IPrekeyStore
    {
        public List<PrekeyRecord> Taken { get; } = [];

        public uint AllocateIds(int count) => inner.AllocateIds(count);

        public void Add(IReadOnlyList<PrekeyRecord> records) => inner.Add(records);

        public PrekeyRecord? Get(PrekeyKind kind, uint id) => inner.Get(kind, id);

        public IReadOnlyList<PrekeyRecord> List(PrekeyKind kind) => inner.List(kind);

        public PrekeyRecord? Take(PrekeyKind kind, uint id)
        {
            var record = inner.Take(kind, id);
            if (record is not null) Taken.Add(record);
            return record;
        }

        public void Delete(PrekeyKind kind, uint id) => inner.Delete(kind, id);

        public int Count(PrekeyKind kind) => inner.Count(kind);

        public bool TryRecordLastResortUse(uint prekeyId, ReadOnlySpan<byte> useHash) => inner.TryRecordLastResortUse(prekeyId, useHash);
    }
}
