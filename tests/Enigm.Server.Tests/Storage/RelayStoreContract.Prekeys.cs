using System.Collections.Concurrent;
using Enigm.Relay;
using Enigm.Server.Storage;
using Xunit;

namespace Enigm.Server.Tests.Storage;

public abstract partial class RelayStoreContract
{
    protected static OneTimePrekey[] Prekeys(uint first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new OneTimePrekey(first + (uint)i, Bytes(32)))];

    [SkippableFact]
    public async Task Takes_the_bundle_with_one_prekey_of_each_kind_and_consumes_them()
    {
        var store = await StoreAsync();
        Assert.Null(await store.TakeBundleAsync("alice", "d1"));
        var bundle = Bytes(200);
        var x = Prekeys(10, 2);
        var kem = Prekeys(100, 1);
        await store.StorePrekeysAsync("alice", "d1", bundle, x, kem);
        Assert.Equal(new PrekeyCountResponse(2, 1, true), await store.CountPrekeysAsync("alice", "d1"));

        var first = (await store.TakeBundleAsync("alice", "d1"))!;
        Assert.Equal(bundle, first.Bundle);
        Assert.Equal(("alice", "d1"), (first.Account, first.Device));
        Assert.Equal(10u, first.OneTimePrekey!.Id);
        Assert.Equal(x[0].Key, first.OneTimePrekey.Key);
        Assert.Equal(kem[0].Key, first.OneTimeKemPrekey!.Key);

        var second = (await store.TakeBundleAsync("alice", "d1"))!;
        Assert.Equal(11u, second.OneTimePrekey!.Id);
        Assert.Null(second.OneTimeKemPrekey);
        var third = (await store.TakeBundleAsync("alice", "d1"))!;
        Assert.Null(third.OneTimePrekey);
        Assert.Equal(bundle, third.Bundle);
        Assert.Equal(new PrekeyCountResponse(0, 0, true), await store.CountPrekeysAsync("alice", "d1"));
        Assert.Equal(new PrekeyCountResponse(0, 0, false), await store.CountPrekeysAsync("alice", "d2"));
    }

    [SkippableFact]
    public async Task Eight_parallel_takers_never_receive_the_same_prekey()
    {
        var store = await StoreAsync();
        await store.StorePrekeysAsync("alice", "d1", Bytes(64), Prekeys(1, 50), Prekeys(1001, 50));
        var x = new ConcurrentBag<uint>();
        var kem = new ConcurrentBag<uint>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var bundle = (await store.TakeBundleAsync("alice", "d1"))!;
                if (bundle.OneTimePrekey is { } p) x.Add(p.Id);
                if (bundle.OneTimeKemPrekey is { } k) kem.Add(k.Id);
            }
        })));

        // 80 takes over 50 keys of each kind: every key handed out exactly once, then none.
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (uint)i), x.Order());
        Assert.Equal(Enumerable.Range(1001, 50).Select(i => (uint)i), kem.Order());
    }

    [SkippableFact]
    public async Task A_handed_out_prekey_id_is_never_added_back_by_a_reupload()
    {
        var store = await StoreAsync();
        var x = Prekeys(1, 1);
        var kem = Prekeys(7, 1);
        await store.StorePrekeysAsync("alice", "d1", Bytes(64), x, kem);
        await store.TakeBundleAsync("alice", "d1");

        await store.StorePrekeysAsync("alice", "d1", Bytes(64), [x[0], .. Prekeys(2, 1)], [kem[0], .. Prekeys(8, 1)]);
        Assert.Equal(new PrekeyCountResponse(1, 1, true), await store.CountPrekeysAsync("alice", "d1"));
        var bundle = (await store.TakeBundleAsync("alice", "d1"))!;
        Assert.Equal(2u, bundle.OneTimePrekey!.Id);
        Assert.Equal(8u, bundle.OneTimeKemPrekey!.Id);
    }

    [SkippableFact]
    public async Task An_upload_adds_x25519_prekeys_and_replaces_the_unconsumed_kem_set()
    {
        var store = await StoreAsync();
        await store.StorePrekeysAsync("alice", "d1", Bytes(64), Prekeys(1, 3), Prekeys(100, 3));
        var newBundle = Bytes(64);
        await store.StorePrekeysAsync("alice", "d1", newBundle, Prekeys(4, 2), Prekeys(200, 2));
        Assert.Equal(new PrekeyCountResponse(5, 2, true), await store.CountPrekeysAsync("alice", "d1"));
        var bundle = (await store.TakeBundleAsync("alice", "d1"))!;
        Assert.Equal(newBundle, bundle.Bundle);
        Assert.Equal(1u, bundle.OneTimePrekey!.Id);
        Assert.Equal(200u, bundle.OneTimeKemPrekey!.Id);
        // Prekeys of another device are separate.
        Assert.Null(await store.TakeBundleAsync("alice", "d2"));
    }

    // --- mailboxes ---

    [SkippableFact]
    public async Task A_retried_submit_stores_nothing_new()
    {
        var store = await StoreAsync();
        OutgoingMessage[] submit = [Message("d1"), Message("d2")];
        Assert.Equal(2, await store.EnqueueAsync("bob", submit, T0));
        Assert.Equal(0, await store.EnqueueAsync("bob", submit, T0.AddSeconds(1)));
        Assert.Equal(1, await store.EnqueueAsync("bob", [submit[0], Message("d1")], T0));
        Assert.Equal(2, (await store.FetchAsync("bob", "d1", 0, 10)).Count);
        Assert.Single(await store.FetchAsync("bob", "d2", 0, 10));
        // The same message id to another account is another message.
        Assert.Equal(1, await store.EnqueueAsync("carol", [submit[0]], T0));
    }

    [SkippableFact]
    public async Task Fetches_oldest_first_after_a_seq_up_to_a_limit_without_deleting()
    {
        var store = await StoreAsync();
        var sent = Enumerable.Range(0, 5).Select(_ => Message("d1")).ToArray();
        foreach (var message in sent) await store.EnqueueAsync("bob", [message], T0);
        await store.EnqueueAsync("bob", [Message("d2")], T0);

        var all = await store.FetchAsync("bob", "d1", 0, 10);
        Assert.Equal(sent.Select(m => m.MessageId), all.Select(m => m.MessageId));
        Assert.Equal(sent.Select(m => m.Body), all.Select(m => m.Body));
        Assert.All(all, m => Assert.Equal(T0, m.ReceivedAt));
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Seq < p.Second.Seq));

        var page = await store.FetchAsync("bob", "d1", all[1].Seq, 2);
        Assert.Equal([all[2].Seq, all[3].Seq], page.Select(m => m.Seq));
        Assert.Equal(5, (await store.FetchAsync("bob", "d1", 0, 10)).Count);
    }

    [SkippableFact]
    public async Task Acks_delete_only_the_own_devices_messages()
    {
        var store = await StoreAsync();
        await store.EnqueueAsync("bob", [Message("d1", 10), Message("d2", 10)], T0);
        await store.EnqueueAsync("eve", [Message("d1", 10)], T0);
        var bobD1 = (await store.FetchAsync("bob", "d1", 0, 10)).Single();
        var bobD2 = (await store.FetchAsync("bob", "d2", 0, 10)).Single();
        var eve = (await store.FetchAsync("eve", "d1", 0, 10)).Single();

        Assert.Equal(0, await store.AckAsync("bob", "d1", [bobD2.Seq, eve.Seq]));
        Assert.Equal(1, await store.AckAsync("bob", "d1", [bobD1.Seq, bobD1.Seq]));
        Assert.Equal(0, await store.AckAsync("bob", "d1", [bobD1.Seq]));
        Assert.Empty(await store.FetchAsync("bob", "d1", 0, 10));
        Assert.Single(await store.FetchAsync("bob", "d2", 0, 10));
        Assert.Single(await store.FetchAsync("eve", "d1", 0, 10));
        Assert.Equal((1L, 10L), await store.MailboxDepthAsync("bob", "d2"));
        Assert.Equal((0L, 0L), await store.MailboxDepthAsync("bob", "d1"));
    }

    [SkippableFact]
    public async Task A_full_mailbox_refuses_the_whole_submit()
    {
        var store = await StoreAsync();
        var first = Message("d1", 1);
        await store.EnqueueAsync("bob", [first], T0);
        for (var filled = 1; filled < RelayLimits.MaxMailboxMessages; filled += 1000)
        {
            var count = Math.Min(1000, RelayLimits.MaxMailboxMessages - filled);
            await store.EnqueueAsync("bob", [.. Enumerable.Range(0, count).Select(_ => Message("d1", 1))], T0);
        }

        Assert.Equal((RelayLimits.MaxMailboxMessages, RelayLimits.MaxMailboxMessages), await store.MailboxDepthAsync("bob", "d1"));
        var error = await Assert.ThrowsAsync<MailboxFullException>(() => store.EnqueueAsync("bob", [Message("d2"), Message("d1")], T0));
        Assert.Equal("mailbox-full", error.Code);
        Assert.Empty(await store.FetchAsync("bob", "d2", 0, 10));
        Assert.Equal((RelayLimits.MaxMailboxMessages, RelayLimits.MaxMailboxMessages), await store.MailboxDepthAsync("bob", "d1"));
        // A retry of an already stored message is not refused: it stores nothing new.
        Assert.Equal(0, await store.EnqueueAsync("bob", [first], T0));
    }

    [SkippableFact]
    public async Task The_ttl_sweep_deletes_only_messages_received_before_the_cutoff()
    {
        var store = await StoreAsync();
        await store.EnqueueAsync("bob", [Message("d1", 10), Message("d2", 10)], T0);
        var fresh = Message("d1", 7);
        await store.EnqueueAsync("bob", [fresh], T0.AddDays(2));
        Assert.Equal(2, await store.SweepExpiredAsync(T0.AddDays(1)));
        Assert.Equal([fresh.MessageId], (await store.FetchAsync("bob", "d1", 0, 10)).Select(m => m.MessageId));
        Assert.Empty(await store.FetchAsync("bob", "d2", 0, 10));
        Assert.Equal((1L, 7L), await store.MailboxDepthAsync("bob", "d1"));
        Assert.Equal(0, await store.SweepExpiredAsync(T0.AddDays(1)));
    }

    [SkippableFact]
    public async Task Concurrent_writes_each_commit_once_and_a_failing_one_does_not_fail_the_others()
    {
        var store = await StoreAsync();
        await store.AppendLeafAsync(0, "alice", [1]);
        // 64 writes at once (on SQLite they share group commits): every eighth is refused by the store (a leaf
        // index that exists), and it must roll back alone while the submits around it commit.
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            if (i % 8 != 0) return await store.EnqueueAsync("bob", [Message("d" + (i % 3)), Message("d9")], T0);
            try
            {
                await store.AppendLeafAsync(0, "mallory", [2]);
                return 0;
            }
            catch (RelayStoreException)
            {
                return -1;
            }
        })));

        Assert.Equal(Enumerable.Repeat(-1, 8), results.Where((_, i) => i % 8 == 0));
        Assert.All(results.Where((_, i) => i % 8 != 0), r => Assert.Equal(2, r));
        Assert.Equal(56, (await store.MailboxDepthAsync("bob", "d9")).Messages);
        Assert.Equal(56, (await store.FetchAsync("bob", "d9", 0, 100)).Count);
        Assert.Equal([1], (await store.LatestLeafAsync("alice"))!.Value.LeafData);
        Assert.Null(await store.LatestLeafAsync("mallory"));
    }
}
