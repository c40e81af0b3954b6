using Enigm.Keys.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.Client.Tests.Support;

/// <summary>
/// A real relay (Kestrel on free loopback ports, SQLite in a temporary folder) for one test class. Also compiled into
/// Enigm.Center.Tests (linked in its csproj), whose console tests start it with <see cref="AdminCredential"/>.
/// </summary>
public sealed class TestRelay : IAsyncDisposable
{
    /// <summary>A known admin credential; without one the relay generates its own in the data folder.</summary>
    public const string AdminCredential = "admin credential of the relay under test, long enough";

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

    public static async Task<TestRelay> StartAsync(string? adminCredential = null)
    {
        var folder = Directory.CreateTempSubdirectory("enigm-test-relay-").FullName;
        var store = new SqliteRelayStore(Path.Combine(folder, "relay.db"));
        var server = await RelayServer.StartAsync(new RelayServerOptions
        {
            Store = store,
            DataDirectory = Path.Combine(folder, "data"),
            PublicUrls = ["http://127.0.0.1:0"],
            AdminUrls = ["http://127.0.0.1:0"],
            AdminCredential = adminCredential,
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
