using Enigm.Keys.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.Center.Tests.Support;

/// <summary>A real relay (Kestrel on free loopback ports, SQLite in a temporary folder) with a known admin credential.</summary>
public sealed class TestRelay : IAsyncDisposable
{
    public const string AdminCredential = "admin credential of the center tests, long enough";

    private readonly SqliteRelayStore _store;

    public SqliteRelayStore Store => _store;

    private TestRelay(string folder, SqliteRelayStore store, RelayServer server)
    {
        Folder = folder;
        _store = store;
        Server = server;
        Url = new Uri(server.PublicUrls[0]);
        AdminUrl = new Uri(server.AdminUrls[0]);
    }

    public string Folder { get; }

    public RelayServer Server { get; }

    public Uri Url { get; }

    public Uri AdminUrl { get; }

    public static async Task<TestRelay> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("enigm-center-relay-").FullName;
        var store = new SqliteRelayStore(Path.Combine(folder, "relay.db"));
        var server = await RelayServer.StartAsync(new RelayServerOptions
        {
            Store = store,
            DataDirectory = Path.Combine(folder, "data"),
            PublicUrls = ["http://127.0.0.1:0"],
            AdminUrls = ["http://127.0.0.1:0"],
            AdminCredential = AdminCredential,
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
