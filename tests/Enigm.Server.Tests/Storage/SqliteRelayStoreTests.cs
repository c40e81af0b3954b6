using Enigm.Server.Storage;
using Enigm.Server.Storage.Sqlite;
using Xunit;

namespace Enigm.Server.Tests.Storage;

/// <summary>The shared contract over a fresh SQLite file per test.</summary>
public sealed class SqliteRelayStoreTests : RelayStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("enigm-relay-sqlite-").FullName;

    protected override Task<IRelayStore> OpenAsync() => Task.FromResult<IRelayStore>(new SqliteRelayStore(Path.Combine(_directory, "relay.db")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Disposing_closes_every_connection_so_the_wal_is_checkpointed_away()
    {
        var path = Path.Combine(_directory, "closed.db");
        var store = new SqliteRelayStore(path);
        await store.MigrateAsync();
        var message = Message("d1");
        await store.EnqueueAsync("bob", [message], T0);
        Assert.Single(await store.FetchAsync("bob", "d1", 0, 10));
        Assert.True(File.Exists(path + "-wal"));
        await store.DisposeAsync();

        // SQLite removes the WAL when its last connection closes: none (writer, reader, cached statement) lingers.
        Assert.False(File.Exists(path + "-wal"));
        await using var reopened = new SqliteRelayStore(path);
        await reopened.MigrateAsync();
        Assert.Equal(message.MessageId, (await reopened.FetchAsync("bob", "d1", 0, 10)).Single().MessageId);
    }

    [Fact]
    public async Task An_unopenable_file_is_a_relay_store_error()
    {
        var error = Assert.Throws<RelayStoreException>(() => new SqliteRelayStore(Path.Combine(_directory, "missing-dir", "relay.db")));
        Assert.Contains("cannot be opened", error.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_revocation_that_returned_is_seen_by_every_later_read_while_others_keep_reading()
    {
        var store = await StoreAsync();
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var token = new byte[32];
        token[0] = 7;
        await store.CreateAccountAsync("alice", [1], [new("d1", false)], now);
        await store.StoreTokenAsync(token, "alice", "d1", now.AddHours(1));

        // Readers keep the cached copies hot (and race the writes) the whole time.
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await store.LookupTokenAsync(token, now);
                await store.GetAccountAsync("alice");
            }
        })).ToArray();

        await Task.Delay(50);
        Assert.True(await store.ReplaceDeviceLogAsync("alice", 1, [2], 2, [new("d1", true)]));
        Assert.True((await store.GetAccountAsync("alice"))!.Devices.Single().Revoked);
        await store.RevokeTokensAsync("alice", "d1");
        Assert.Null(await store.LookupTokenAsync(token, now));
        Assert.True(await store.SetDisabledAsync("alice", true));
        Assert.True((await store.GetAccountAsync("alice"))!.Disabled);

        await stop.CancelAsync();
        await Task.WhenAll(readers);
    }
}
