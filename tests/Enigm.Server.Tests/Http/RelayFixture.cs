using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Enigm.Keys.Protection;
using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Storage;
using Enigm.Server.Storage.Sqlite;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>
/// A real relay for one test: Kestrel on free loopback ports (public and admin), the SQLite store in a temporary folder,
/// real <see cref="HttpClient"/>s. The log key store uses Argon2id's test costs (the only knob a test changes).
/// </summary>
public sealed class RelayFixture : IAsyncDisposable
{
    private readonly string _folder;

    private RelayFixture(string folder, IRelayStore store, RelayServer server, string credential)
    {
        _folder = folder;
        Store = store;
        Server = server;
        Public = new HttpClient { BaseAddress = new Uri(server.PublicUrls[0]) };
        Admin = new HttpClient { BaseAddress = new Uri(server.AdminUrls[0]) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential);
    }

    public IRelayStore Store { get; }

    public RelayServer Server { get; }

    /// <summary>The public listener, no credentials.</summary>
    public HttpClient Public { get; }

    /// <summary>The admin listener, with the admin credential.</summary>
    public HttpClient Admin { get; }

    public string DataFolder => Path.Combine(_folder, "data");

    public string DatabasePath => Path.Combine(_folder, "relay.db");

    public static async Task<RelayFixture> StartAsync(Func<RelayServerOptions, RelayServerOptions>? configure = null)
    {
        var folder = Directory.CreateTempSubdirectory("enigm-relay-http-").FullName;
        var store = new SqliteRelayStore(Path.Combine(folder, "relay.db"));
        var options = new RelayServerOptions
        {
            Store = store,
            DataDirectory = Path.Combine(folder, "data"),
            PublicUrls = ["http://127.0.0.1:0"],
            AdminUrls = ["http://127.0.0.1:0"],
            LogKeyArgon2 = new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1),
            ServerId = "relay-under-test",
        };
        var server = await RelayServer.StartAsync(configure?.Invoke(options) ?? options);
        var credential = server.AdminCredentialPath is { } path ? File.ReadAllText(path).Trim() : options.AdminCredential!;
        return new RelayFixture(folder, store, server, credential);
    }

    /// <summary>A client carrying a bearer token.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Public.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Admin.Dispose();
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a closing connection: the OS temp cleaner gets it.
        }
    }
}

/// <summary>Assertions on relay responses.</summary>
public static class RelayAssert
{
    /// <summary>The response is problem+json with this status and stable code; returns the parsed body.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(RelayProblem.TypePrefix + code, body.GetProperty("type").GetString());
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body;
    }

    public static async Task<T> Ok<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (!response.IsSuccessStatusCode) Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync(type))!;
    }
}
