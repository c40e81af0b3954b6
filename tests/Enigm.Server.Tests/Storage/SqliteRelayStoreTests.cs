using Enigm.Server.Storage;
using Enigm.Server.Storage.Sqlite;

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
}
