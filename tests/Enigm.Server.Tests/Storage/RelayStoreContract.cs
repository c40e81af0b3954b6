using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Relay;
using Enigm.Server.Storage;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Server.Tests.Storage;

/// <summary>
/// Every behaviour of <see cref="IRelayStore"/>, run against each engine (SQLite, PostgreSQL) by a subclass, so the
/// engines cannot drift apart. Each test gets a fresh, migrated store.
/// </summary>
public abstract partial class RelayStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private readonly List<IRelayStore> _opened = [];

    /// <summary>Opens a new store instance over this test's database (a second call: a second node on the same one).</summary>
    protected abstract Task<IRelayStore> OpenAsync();

    protected async Task<IRelayStore> StoreAsync()
    {
        var store = await OpenAsync();
        _opened.Add(store);
        await store.MigrateAsync();
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened) await store.DisposeAsync();
    }

    protected static byte[] Bytes(int length) => RandomNumberGenerator.GetBytes(length);

    protected static OutgoingMessage Message(string device, int size = 32) => new(device, Bytes(16), Bytes(size));

    // --- accounts ---

    [SkippableFact]
    public async Task Creates_an_account_once_and_reads_it_back()
    {
        var store = await StoreAsync();
        var log = Bytes(100);
        Assert.True(await store.CreateAccountAsync("alice", log, [new("d1", false)], T0));
        Assert.False(await store.CreateAccountAsync("alice", Bytes(10), [new("d9", false)], T0));

        var account = await store.GetAccountAsync("alice");
        Assert.NotNull(account);
        Assert.Equal(log, account.DeviceLog);
        Assert.Equal(1, account.LogEntries);
        Assert.Equal(T0, account.CreatedAt);
        Assert.False(account.Disabled);
        Assert.Equal([new StoredDevice("d1", false)], account.Devices);
        Assert.Null(await store.GetAccountAsync("bob"));
    }

    [SkippableFact]
    public async Task Replaces_the_device_log_only_when_the_entry_count_still_matches()
    {
        var store = await StoreAsync();
        await store.CreateAccountAsync("alice", Bytes(10), [new("d1", false)], T0);
        var two = Bytes(20);
        Assert.True(await store.ReplaceDeviceLogAsync("alice", 1, two, 2, [new("d1", false), new("d2", false)]));
        // A concurrent append that read the old log loses the compare-and-swap.
        Assert.False(await store.ReplaceDeviceLogAsync("alice", 1, Bytes(20), 2, [new("d1", true)]));
        Assert.False(await store.ReplaceDeviceLogAsync("nobody", 1, Bytes(20), 2, []));

        var account = (await store.GetAccountAsync("alice"))!;
        Assert.Equal(two, account.DeviceLog);
        Assert.Equal(2, account.LogEntries);
        Assert.Equal(["d1", "d2"], account.Devices.Select(d => d.Device));
        Assert.True(await store.ReplaceDeviceLogAsync("alice", 2, Bytes(30), 3, [new("d1", false), new("d2", true)]));
        Assert.True((await store.GetAccountAsync("alice"))!.Devices.Single(d => d.Device == "d2").Revoked);
    }

    [SkippableFact]
    public async Task Disables_and_reenables_an_account()
    {
        var store = await StoreAsync();
        await store.CreateAccountAsync("alice", Bytes(10), [], T0);
        Assert.True(await store.SetDisabledAsync("alice", true));
        Assert.True((await store.GetAccountAsync("alice"))!.Disabled);
        Assert.True(await store.SetDisabledAsync("alice", false));
        Assert.False((await store.GetAccountAsync("alice"))!.Disabled);
        Assert.False(await store.SetDisabledAsync("nobody", true));
    }

    [SkippableFact]
    public async Task Lists_accounts_in_name_order_page_by_page()
    {
        var store = await StoreAsync();
        foreach (var name in new[] { "c", "a", "d", "b" }) await store.CreateAccountAsync(name, Bytes(4), [new("x", false)], T0);
        var first = await store.ListAccountsAsync(2, null);
        Assert.Equal(["a", "b"], first.Select(a => a.Account));
        var second = await store.ListAccountsAsync(2, first[^1].Account);
        Assert.Equal(["c", "d"], second.Select(a => a.Account));
        Assert.Single(second[0].Devices);
        Assert.Empty(await store.ListAccountsAsync(2, "d"));
    }

    // --- authentication ---

    [SkippableFact]
    public async Task A_challenge_is_taken_once()
    {
        var store = await StoreAsync();
        var hash = Bytes(32);
        await store.StoreChallengeAsync(hash, "alice", "d1", T0.AddMinutes(1));
        Assert.Equal(("alice", "d1"), await store.TakeChallengeAsync(hash, T0));
        Assert.Null(await store.TakeChallengeAsync(hash, T0));
        Assert.Null(await store.TakeChallengeAsync(Bytes(32), T0));
    }

    [SkippableFact]
    public async Task An_expired_challenge_is_refused_and_gone()
    {
        var store = await StoreAsync();
        var hash = Bytes(32);
        await store.StoreChallengeAsync(hash, "alice", "d1", T0.AddMinutes(1));
        Assert.Null(await store.TakeChallengeAsync(hash, T0.AddMinutes(1)));
        Assert.Null(await store.TakeChallengeAsync(hash, T0));
    }

    [SkippableFact]
    public async Task Tokens_are_found_until_they_expire_or_are_revoked()
    {
        var store = await StoreAsync();
        var (a1, a2, b1) = (Bytes(32), Bytes(32), Bytes(32));
        await store.StoreTokenAsync(a1, "alice", "d1", T0.AddHours(1));
        await store.StoreTokenAsync(a2, "alice", "d2", T0.AddHours(1));
        await store.StoreTokenAsync(b1, "bob", "d1", T0.AddHours(1));

        Assert.Equal(("alice", "d1", T0.AddHours(1)), await store.LookupTokenAsync(a1, T0));
        Assert.Null(await store.LookupTokenAsync(a1, T0.AddHours(1)));
        Assert.Null(await store.LookupTokenAsync(Bytes(32), T0));

        await store.RevokeTokensAsync("alice", "d1");
        Assert.Null(await store.LookupTokenAsync(a1, T0));
        Assert.Equal("d2", (await store.LookupTokenAsync(a2, T0))?.Device);

        await store.RevokeTokensAsync("alice", null);
        Assert.Null(await store.LookupTokenAsync(a2, T0));
        Assert.Equal("bob", (await store.LookupTokenAsync(b1, T0))?.Account);
    }

    [SkippableFact]
    public async Task Keeps_the_delivery_token_hash_of_an_account()
    {
        var store = await StoreAsync();
        await store.CreateAccountAsync("alice", Bytes(4), [], T0);
        Assert.Null(await store.GetDeliveryTokenHashAsync("alice"));
        var hash = Bytes(32);
        await store.SetDeliveryTokenHashAsync("alice", hash);
        Assert.Equal(hash, await store.GetDeliveryTokenHashAsync("alice"));
        var next = Bytes(32);
        await store.SetDeliveryTokenHashAsync("alice", next);
        Assert.Equal(next, await store.GetDeliveryTokenHashAsync("alice"));
        Assert.Null(await store.GetDeliveryTokenHashAsync("nobody"));
    }

    // --- signals ---

    [SkippableFact]
    public async Task Delivers_published_signals_to_subscribers_until_they_unsubscribe()
    {
        var store = await StoreAsync();
        var received = new BlockingCollection<RelaySignal>();
        var subscription = store.Subscribe(received.Add);
        var signal = new RelaySignal(RelaySignalKind.ConnectionOpened, "alice", "d1", "conn-7");
        await store.PublishAsync(signal);
        Assert.True(received.TryTake(out var got, TimeSpan.FromSeconds(10)));
        Assert.Equal(signal, got);

        subscription.Dispose();
        await store.PublishAsync(new RelaySignal(RelaySignalKind.NewMessage, "alice", "d1"));
        Assert.False(received.TryTake(out _, TimeSpan.FromMilliseconds(300)));
    }

    // --- transparency ---

    [SkippableFact]
    public async Task Transparency_tree_gives_the_same_roots_and_proofs_as_the_in_memory_tree()
    {
        var store = await StoreAsync();
        var persisted = new TransparencyLog(store.TransparencyTree, "test-log");
        var reference = new TransparencyLog(new InMemoryTransparencyLogStore(), "test-log");
        for (var i = 0; i < 37; i++)
        {
            var leaf = Bytes(32);
            Assert.Equal(reference.AppendLeafHash(leaf), persisted.AppendLeafHash(leaf));
        }

        Assert.Equal(37, store.TransparencyTree.Size);
        for (var size = 1; size <= 37; size++) Assert.Equal(reference.Root(size), persisted.Root(size));
        Assert.Equal(reference.InclusionProof(11, 30).Encode(), persisted.InclusionProof(11, 30).Encode());
        Assert.Equal(reference.ConsistencyProof(5, 37).Encode(), persisted.ConsistencyProof(5, 37).Encode());
        Assert.Throws<ArgumentOutOfRangeException>(() => store.TransparencyTree.ReadNode(0, 37, new byte[32]));
    }

    [SkippableFact]
    public async Task Keeps_the_newest_leaf_of_each_account()
    {
        var store = await StoreAsync();
        Assert.Null(await store.LatestLeafAsync("alice"));
        var (first, second, other) = (Bytes(50), Bytes(50), Bytes(50));
        await store.AppendLeafAsync(0, "alice", first);
        await store.AppendLeafAsync(1, "bob", other);
        await store.AppendLeafAsync(2, "alice", second);
        var latest = await store.LatestLeafAsync("alice");
        Assert.Equal(2, latest!.Value.Index);
        Assert.Equal(second, latest.Value.LeafData);
        await Assert.ThrowsAnyAsync<RelayStoreException>(() => store.AppendLeafAsync(2, "carol", first));
    }

    // --- rendezvous and stats ---

    [SkippableFact]
    public async Task Rendezvous_messages_are_read_in_order_and_swept()
    {
        var store = await StoreAsync();
        var a = await store.RendezvousPostAsync("chan", [1], T0);
        var b = await store.RendezvousPostAsync("chan", [2], T0.AddMinutes(5));
        await store.RendezvousPostAsync("other", [3], T0);
        Assert.True(b > a);
        Assert.Equal([[1], [2]], (await store.RendezvousReadAsync("chan", 0)).Select(m => m.Payload));
        Assert.Equal([[2]], (await store.RendezvousReadAsync("chan", a)).Select(m => m.Payload));
        Assert.Equal(2, await store.SweepRendezvousAsync(T0.AddMinutes(1)));
        Assert.Equal([b], (await store.RendezvousReadAsync("chan", 0)).Select(m => m.Seq));
    }

    [SkippableFact]
    public async Task Stats_count_accounts_devices_queues_and_tree()
    {
        var store = await StoreAsync();
        await store.CreateAccountAsync("alice", Bytes(4), [new("d1", false), new("d2", false), new("d3", true)], T0);
        await store.CreateAccountAsync("bob", Bytes(4), [new("d1", false)], T0);
        await store.EnqueueAsync("bob", [Message("d1", 100), Message("d1", 50)], T0);
        new TransparencyLog(store.TransparencyTree, "log").AppendLeafHash(Bytes(32));

        var stats = await store.StatsAsync();
        Assert.Equal(2, stats.Accounts);
        Assert.Equal(3, stats.Devices);
        Assert.Equal(2, stats.QueuedMessages);
        Assert.Equal(150, stats.QueuedBytes);
        Assert.Equal(1, stats.TransparencyLogSize);
        Assert.Equal(store.Kind, stats.Store);
        Assert.True(stats.StoreBytes > 0);
    }
}
