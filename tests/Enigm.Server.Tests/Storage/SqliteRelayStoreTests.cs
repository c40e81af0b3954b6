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
    public async Task A_db_location_names_the_engine()
    {
        await using (var sqlite = RelayStoreLocation.Open("sqlite:" + Path.Combine(_directory, "located.db")))
            Assert.Equal("sqlite", sqlite.Kind);
        await using (var postgres = RelayStoreLocation.Open("postgres:Host=127.0.0.1;Port=1;Username=x"))
            Assert.Equal("postgres", postgres.Kind);
        foreach (var bad in new[] { "", "sqlite:", "mysql:Host=x;Password=hunter2", "relay.db" })
        {
            var error = Assert.Throws<RelayStoreException>(() => RelayStoreLocation.Open(bad));
            Assert.DoesNotContain("hunter2", error.Message);
        }
    }
}
