using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.Cli.Demo;

/// <summary>
/// The demo's embedded relay: the real <see cref="RelayServer"/> on free loopback ports over a SQLite database
/// (WAL) in a temporary folder, and a client for its admin API. Disposing stops it and deletes the folder.
/// </summary>
internal sealed class DemoRelay : IAsyncDisposable
{
    private readonly SqliteRelayStore _store;
    private readonly RelayServer _server;

    private DemoRelay(string folder, SqliteRelayStore store, RelayServer server, HttpClient admin)
    {
        Folder = folder;
        _store = store;
        _server = server;
        Admin = admin;
    }

    /// <summary>The temporary folder: the database under <c>db/</c>, the relay's keys under <c>relay/</c>, the devices' homes.</summary>
    public string Folder { get; }

    public string DatabaseFolder => Path.Combine(Folder, "db");

    public Uri Url => new(_server.PublicUrls[0]);

    public string AdminUrl => _server.AdminUrls[0];

    public HttpClient Admin { get; }

    /// <summary>
    /// Starts the relay in a new temporary folder (deleted again if anything fails); with <paramref name="otaRepository"/>
    /// (a published TUF repository folder) it also serves that repository under <c>/ota</c>, as <c>enigm server run --ota</c>.
    /// </summary>
    public static async Task<DemoRelay> StartAsync(string folder, CancellationToken cancellation, string? otaRepository = null)
    {
        Directory.CreateDirectory(Path.Combine(folder, "db"));
        var store = new SqliteRelayStore(Path.Combine(folder, "db", "relay.db"));
        try
        {
            var server = await RelayServer.StartAsync(
                new RelayServerOptions
                {
                    Store = store,
                    DataDirectory = Path.Combine(folder, "relay"),
                    PublicUrls = ["http://127.0.0.1:0"],
                    AdminUrls = ["http://127.0.0.1:0"],
                    LogKeyArgon2 = Keys.Protection.Argon2idSettings.Interactive,
                    ServerId = "enigm-demo-relay",
                    OtaRepository = otaRepository,
                },
                cancellation);
            var credential = (await File.ReadAllTextAsync(server.AdminCredentialPath!, cancellation)).Trim();
            var admin = new HttpClient { BaseAddress = new Uri(server.AdminUrls[0]) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
            return new DemoRelay(folder, store, server, admin);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET on the admin API: the route and its raw body (what an administrator can see).</summary>
    public async Task<(string Route, byte[] Body)> AdminGetAsync(string route, CancellationToken cancellation)
    {
        using var response = await Admin.GetAsync(route, cancellation);
        response.EnsureSuccessStatusCode();
        return (route, await response.Content.ReadAsByteArrayAsync(cancellation));
    }

    /// <summary>Every admin response: the account list, each account, the stats.</summary>
    public async Task<List<(string Route, byte[] Body)>> AdminResponsesAsync(CancellationToken cancellation)
    {
        var responses = new List<(string, byte[])> { await AdminGetAsync(RelayRoutes.AdminAccounts, cancellation), await AdminGetAsync(RelayRoutes.AdminStats, cancellation) };
        foreach (var account in JsonNode.Parse(responses[0].Item2)!.AsArray())
            responses.Add(await AdminGetAsync(RelayRoutes.AdminAccount.Replace("{account}", (string)account!["account"]!, StringComparison.Ordinal), cancellation));
        return responses;
    }

    /// <summary>The database files as they are on disk now (relay.db, relay.db-wal, relay.db-shm, any journal).</summary>
    public List<(string Name, byte[] Bytes)> DatabaseFiles() =>
        [.. Directory.EnumerateFiles(DatabaseFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), ReadShared(f)))];

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _server.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>Reads a file the relay still has open (SQLite keeps the WAL and shm open).</summary>
    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>
/// Searches bytes for secrets: raw, and as base64 at each of the three alignments (JSON carries bytes as base64).
/// </summary>
internal sealed class PlaintextSearch(IEnumerable<(string Label, byte[] Secret)> secrets)
{
    private readonly List<(string Label, byte[] Pattern)> _patterns = [.. secrets.SelectMany(Forms)];

    public List<string> Find(string where, ReadOnlySpan<byte> haystack)
    {
        var found = new List<string>();
        foreach (var (label, pattern) in _patterns)
        {
            if (haystack.IndexOf(pattern) >= 0) found.Add($"{label} in {where}");
        }

        return found;
    }

    private static IEnumerable<(string, byte[])> Forms((string Label, byte[] Secret) s)
    {
        yield return (s.Label, s.Secret);
        for (var shift = 0; shift < 3; shift++)
        {
            var text = Convert.ToBase64String([.. new byte[shift], .. s.Secret]);
            var start = shift == 0 ? 0 : 4;
            var end = (shift + s.Secret.Length) / 3 * 4;
            if (end - start >= 12) yield return ($"{s.Label} (base64)", Encoding.ASCII.GetBytes(text[start..end]));
        }
    }
}
