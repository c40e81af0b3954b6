using Enigm.Keys.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.Client.Tests.Support;

/// <summary>A real relay (Kestrel on a free loopback port, SQLite in a temporary folder) for one test class.</summary>
public sealed class TestRelay : IAsyncDisposable
{
    private readonly SqliteRelayStore _store;

    public SqliteRelayStore Store => _store;

    private TestRelay(string folder, SqliteRelayStore store, RelayServer server)
    {
        Folder = folder;
        _store = store;
        Server = server;
        Url = new Uri(server.PublicUrls[0]);
    }

    public string Folder { get; }

    public RelayServer Server { get; }

    public Uri Url { get; }

    public static async Task<TestRelay> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("enigm-client-relay-").FullName;
        var store = new SqliteRelayStore(Path.Combine(folder, "relay.db"));
        var server = await RelayServer.StartAsync(new RelayServerOptions
        {
            Store = store,
            DataDirectory = Path.Combine(folder, "data"),
            PublicUrls = ["http://127.0.0.1:0"],
            AdminUrls = ["http://127.0.0.1:0"],
            LogKeyArgon2 = new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1),
            ServerId = "relay-under-test",
        });
        return new TestRelay(folder, store, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection: the temp cleaner gets it.
        }
    }
}
