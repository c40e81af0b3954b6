using System.Security.Cryptography;
using Enigm.Relay;
using Enigm.Server.Storage;
using Enigm.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Server.Tests.Storage;

/// <summary>
/// The SQLite store's in-memory mailbox depths (schema 3) and its gathered acks: depths stay exact across acks that
/// arrive together, a reopen and the migration from schema 2's depth triggers.
/// </summary>
public sealed class SqliteMailboxDepthTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    private readonly string _directory = Directory.CreateTempSubdirectory("enigm-relay-depth-").FullName;

    private string DbPath => Path.Combine(_directory, "relay.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Acks_arriving_together_each_count_only_their_own_messages_and_empty_every_mailbox()
    {
        await using var store = new SqliteRelayStore(DbPath);
        await store.MigrateAsync();
        const int devices = 24, perDevice = 12;
        for (var d = 0; d < devices; d++)
            await store.EnqueueAsync("bob", [.. Enumerable.Range(0, perDevice).Select(_ => Message("d" + d, 10))], T0);
        var seqs = new long[devices][];
        for (var d = 0; d < devices; d++) seqs[d] = [.. (await store.FetchAsync("bob", "d" + d, 0, 100)).Select(m => m.Seq)];

        // Every device acks in three frames at once; each frame also names another device's message (never deleted by
        // it) and the second repeats a seq of the first (deleted once, counted once).
        var acks = Enumerable.Range(0, devices).SelectMany(d =>
        {
            var other = seqs[(d + 1) % devices][0];
            return new[]
            {
                Task.Run(() => store.AckAsync("bob", "d" + d, [.. seqs[d][..4], other])),
                Task.Run(() => store.AckAsync("bob", "d" + d, [.. seqs[d][4..8], other])),
                Task.Run(() => store.AckAsync("bob", "d" + d, [.. seqs[d][8..], other])),
            };
        }).ToArray();
        var counts = await Task.WhenAll(acks);

        Assert.Equal(devices * perDevice, counts.Sum());
        Assert.All(counts, count => Assert.Equal(4, count));
        for (var d = 0; d < devices; d++)
        {
            Assert.Empty(await store.FetchAsync("bob", "d" + d, 0, 100));
            Assert.Equal((0L, 0L), await store.MailboxDepthAsync("bob", "d" + d));
        }

        Assert.Equal(0, (await store.StatsAsync()).QueuedMessages);
    }

    [Fact]
    public async Task Mailbox_depths_are_counted_again_when_the_store_reopens()
    {
        await using (var store = new SqliteRelayStore(DbPath))
        {
            await store.MigrateAsync();
            await store.EnqueueAsync("bob", [Message("d1", 10), Message("d1", 20), Message("d1", 30), Message("d2", 5)], T0);
            var first = (await store.FetchAsync("bob", "d1", 0, 1)).Single();
            Assert.Equal(1, await store.AckAsync("bob", "d1", [first.Seq]));
        }

        await using var reopened = new SqliteRelayStore(DbPath);
        await reopened.MigrateAsync();
        Assert.Equal((2L, 50L), await reopened.MailboxDepthAsync("bob", "d1"));
        Assert.Equal((1L, 5L), await reopened.MailboxDepthAsync("bob", "d2"));
        Assert.Equal(3, (await reopened.StatsAsync()).QueuedMessages);
    }

    [Fact]
    public async Task A_schema_2_database_loses_its_depth_triggers_and_keeps_its_depths()
    {
        await using (var store = new SqliteRelayStore(DbPath))
        {
            await store.MigrateAsync();
            await store.EnqueueAsync("bob", [Message("d1", 10), Message("d1", 20)], T0);
        }

        // Put back what schema 2 had: the depth table and the triggers that maintained it.
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE mailbox_depth (account TEXT NOT NULL, device TEXT NOT NULL, messages INTEGER NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY (account, device)) WITHOUT ROWID;
                INSERT INTO mailbox_depth VALUES ('bob', 'd1', 2, 30);
                CREATE TRIGGER messages_depth_insert AFTER INSERT ON messages BEGIN
                    INSERT INTO mailbox_depth (account, device, messages, bytes) VALUES (NEW.account, NEW.device, 1, length(NEW.body))
                    ON CONFLICT (account, device) DO UPDATE SET messages = messages + 1, bytes = bytes + length(NEW.body);
                END;
                CREATE TRIGGER messages_depth_delete AFTER DELETE ON messages BEGIN
                    UPDATE mailbox_depth SET messages = messages - 1, bytes = bytes - length(OLD.body) WHERE account = OLD.account AND device = OLD.device;
                END;
                PRAGMA user_version = 2;
                """;
            command.ExecuteNonQuery();
        }

        await using (var migrated = new SqliteRelayStore(DbPath))
        {
            await migrated.MigrateAsync();
            Assert.Equal((2L, 30L), await migrated.MailboxDepthAsync("bob", "d1"));
            // With a trigger left behind and its table gone, this insert would fail.
            Assert.Equal(1, await migrated.EnqueueAsync("bob", [Message("d1", 7)], T0));
            Assert.Equal((3L, 37L), await migrated.MailboxDepthAsync("bob", "d1"));
        }

        using var check = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        check.Open();
        using var query = check.CreateCommand();
        query.CommandText = "SELECT count(*) FROM sqlite_master WHERE name IN ('mailbox_depth', 'messages_depth_insert', 'messages_depth_delete')";
        Assert.Equal(0L, (long)query.ExecuteScalar()!);
        query.CommandText = "PRAGMA user_version";
        Assert.Equal(3L, (long)query.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_submit_refused_for_a_full_mailbox_leaves_the_other_mailboxes_it_touched_unchanged()
    {
        await using var store = new SqliteRelayStore(DbPath);
        await store.MigrateAsync();
        await store.EnqueueAsync("bob", [.. Enumerable.Range(0, RelayLimits.MaxMailboxMessages).Select(_ => Message("full", 1))], T0);

        // d2 grows first in the same submit, then the full mailbox refuses it: d2's depth must not keep the +1.
        await Assert.ThrowsAsync<MailboxFullException>(() => store.EnqueueAsync("bob", [Message("d2", 9), Message("full", 1)], T0));
        Assert.Equal((0L, 0L), await store.MailboxDepthAsync("bob", "d2"));
        Assert.Equal((long)RelayLimits.MaxMailboxMessages, (await store.MailboxDepthAsync("bob", "full")).Messages);
        Assert.Empty(await store.FetchAsync("bob", "d2", 0, 10));

        // Submits committed in the same group as a refused one (rolled back to its savepoint) keep their depth.
        var others = Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.EnqueueAsync("bob", [Message("d3", 2)], T0))).ToList();
        var refused = Task.Run(() => store.EnqueueAsync("bob", [Message("d3", 2), Message("full", 1)], T0));
        await Task.WhenAll(others);
        await Assert.ThrowsAsync<MailboxFullException>(() => refused);
        Assert.Equal((20L, 40L), await store.MailboxDepthAsync("bob", "d3"));
        Assert.Equal(20, (await store.FetchAsync("bob", "d3", 0, 100)).Count);
    }

    [Fact]
    public async Task Committed_messages_reach_the_database_file_while_the_store_is_open()
    {
        // The writer never checkpoints inside its commits (wal_autocheckpoint=0): the checkpoint thread must copy the
        // WAL into the database file, or the WAL would grow for ever.
        await using var store = new SqliteRelayStore(DbPath);
        await store.MigrateAsync();
        var before = new FileInfo(DbPath).Length;
        for (var i = 0; i < 40; i++)
            await store.EnqueueAsync("bob", [.. Enumerable.Range(0, 50).Select(_ => Message("d1", 1000))], T0);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (new FileInfo(DbPath).Length < before + (1 << 20) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(new FileInfo(DbPath).Length >= before + (1 << 20), "the database file did not grow: nothing was checkpointed");
        Assert.Equal(2000, (await store.MailboxDepthAsync("bob", "d1")).Messages);
    }

    private static OutgoingMessage Message(string device, int size) => new(device, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(size));
}
