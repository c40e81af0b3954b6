using Enigm.Relay;
using Enigm.Server.Storage;
using Xunit;

namespace Enigm.Server.Tests.Storage;

// Multi-recipient submits: one shared payload stored once, an ordinary mailbox entry per device, the payload gone
// with the last ack or the TTL sweep. "Stored once" is read from the queued bytes: parts plus the shared body once.
public abstract partial class RelayStoreContract
{
    private static RecipientDevice[] Recipients(params (string Account, string Device, int Part)[] devices) =>
        [.. devices.Select(d => new RecipientDevice(d.Account, d.Device, d.Part == 0 ? null : Bytes(d.Part)))];

    [SkippableFact]
    public async Task A_multi_recipient_submit_stores_the_shared_body_once_and_delivers_it_with_each_part()
    {
        var store = await StoreAsync();
        var id = Bytes(16);
        var shared = Bytes(1000);
        var recipients = Recipients(("bob", "d1", 10), ("bob", "d2", 0), ("carol", "d1", 5));
        Assert.Equal(3, await store.EnqueueSharedAsync(id, shared, recipients, T0));

        foreach (var recipient in recipients)
        {
            var message = Assert.Single(await store.FetchAsync(recipient.Account, recipient.Device, 0, 10));
            Assert.Equal(id, message.MessageId);
            Assert.Equal(shared, message.Shared);
            Assert.Equal(recipient.Part ?? [], message.Body);
            Assert.Equal(T0, message.ReceivedAt);
        }

        Assert.Equal(1000 + 10 + 5, (await store.StatsAsync()).QueuedBytes);
        Assert.Equal(3, (await store.StatsAsync()).QueuedMessages);
        // An ordinary message next to it carries no shared part.
        await store.EnqueueAsync("bob", [Message("d1", 7)], T0);
        Assert.Null((await store.FetchAsync("bob", "d1", 0, 10))[1].Shared);
    }

    [SkippableFact]
    public async Task A_retried_multi_recipient_submit_stores_nothing_new()
    {
        var store = await StoreAsync();
        var id = Bytes(16);
        var shared = Bytes(500);
        Assert.Equal(2, await store.EnqueueSharedAsync(id, shared, Recipients(("bob", "d1", 0), ("carol", "d1", 0)), T0));
        Assert.Equal(0, await store.EnqueueSharedAsync(id, shared, Recipients(("bob", "d1", 0), ("carol", "d1", 0)), T0));
        Assert.Equal(500, (await store.StatsAsync()).QueuedBytes);
        // A retry that reaches one more device stores that one (with a payload of its own).
        Assert.Equal(1, await store.EnqueueSharedAsync(id, shared, Recipients(("bob", "d1", 0), ("dave", "d1", 0)), T0));
        Assert.Equal(shared, Assert.Single(await store.FetchAsync("dave", "d1", 0, 10)).Shared);
        Assert.Single(await store.FetchAsync("bob", "d1", 0, 10));
    }

    [SkippableFact]
    public async Task The_shared_payload_is_deleted_when_the_last_recipient_acks()
    {
        var store = await StoreAsync();
        var recipients = Recipients(("bob", "d1", 3), ("bob", "d2", 3), ("carol", "d1", 3));
        await store.EnqueueSharedAsync(Bytes(16), Bytes(800), recipients, T0);

        for (var i = 0; i < recipients.Length; i++)
        {
            var (account, device) = (recipients[i].Account, recipients[i].Device);
            Assert.Equal(1, await store.AckAsync(account, device, [(await store.FetchAsync(account, device, 0, 10)).Single().Seq]));
            var remaining = recipients.Length - i - 1;
            Assert.Equal(remaining == 0 ? 0 : 800 + 3 * remaining, (await store.StatsAsync()).QueuedBytes);
            // The devices still to ack still receive the whole shared body.
            foreach (var later in recipients.Skip(i + 1))
                Assert.Equal(800, (await store.FetchAsync(later.Account, later.Device, 0, 10)).Single().Shared!.Length);
        }
    }

    [SkippableFact]
    public async Task The_ttl_sweep_deletes_expired_multi_recipient_entries_and_their_payload()
    {
        var store = await StoreAsync();
        await store.EnqueueSharedAsync(Bytes(16), Bytes(600), Recipients(("bob", "d1", 0), ("carol", "d1", 2)), T0);
        var fresh = Bytes(16);
        await store.EnqueueSharedAsync(fresh, Bytes(300), Recipients(("bob", "d1", 0)), T0.AddDays(2));

        Assert.Equal(2, await store.SweepExpiredAsync(T0.AddDays(1)));
        Assert.Equal(300, (await store.StatsAsync()).QueuedBytes);
        Assert.Equal(fresh, Assert.Single(await store.FetchAsync("bob", "d1", 0, 10)).MessageId);
        Assert.Empty(await store.FetchAsync("carol", "d1", 0, 10));
    }

    [SkippableFact]
    public async Task A_multi_recipient_submit_signals_every_recipient_device()
    {
        var store = await StoreAsync();
        var seen = new List<RelaySignal>();
        var all = new TaskCompletionSource();
        using var subscription = store.Subscribe(signal =>
        {
            lock (seen)
            {
                seen.Add(signal);
                if (seen.Count == 2) all.TrySetResult();
            }
        });

        await store.EnqueueSharedAsync(Bytes(16), Bytes(10), Recipients(("bob", "d1", 0), ("carol", "d9", 0)), T0);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (seen)
        {
            Assert.Equal([("bob", "d1"), ("carol", "d9")], seen.Select(s => (s.Account, s.Device!)).Order());
            Assert.All(seen, s => Assert.Equal(RelaySignalKind.NewMessage, s.Kind));
        }
    }

    [SkippableFact]
    public async Task A_full_mailbox_refuses_the_whole_multi_recipient_submit()
    {
        var store = await StoreAsync();
        for (var filled = 0; filled < RelayLimits.MaxMailboxMessages; filled += 1000)
            await store.EnqueueAsync("bob", [.. Enumerable.Range(0, Math.Min(1000, RelayLimits.MaxMailboxMessages - filled)).Select(_ => Message("d1", 1))], T0);
        var before = await store.StatsAsync();

        var error = await Assert.ThrowsAsync<MailboxFullException>(() => store.EnqueueSharedAsync(Bytes(16), Bytes(100), Recipients(("carol", "d1", 0), ("bob", "d1", 0)), T0));
        Assert.Equal("mailbox-full", error.Code);
        Assert.Empty(await store.FetchAsync("carol", "d1", 0, 10));
        Assert.Equal(before.QueuedBytes, (await store.StatsAsync()).QueuedBytes);
    }
}
