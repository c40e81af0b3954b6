using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Tests.Http;
using Enigm.Server.Tests.Storage;
using Npgsql;

namespace Enigm.Server.Tests.ScaleOut;

/// <summary>
/// Two relay nodes (A and B, separate <c>enigm server run</c> processes) over one PostgreSQL database, in a fresh schema
/// of the database named by ENIGM_POSTGRES. They share one data folder (admin credential, transparency log key) as
/// nodes behind one load balancer would (docs/deployment.md, "Running relay nodes"). Accounts and tokens are made with
/// <see cref="TestAccount"/>'s device logs and keys.
/// </summary>
public sealed class TwoNodeCluster : IAsyncDisposable
{
    public const string ServerId = "relay-under-test";

    private readonly string _server;
    private readonly string _schema;
    private readonly string _folder;

    private TwoNodeCluster(string server, string schema, string folder, RelayNodeProcess a, RelayNodeProcess b, string adminCredential)
    {
        _server = server;
        _schema = schema;
        _folder = folder;
        A = a;
        B = b;
        AdminCredential = adminCredential;
    }

    public RelayNodeProcess A { get; }

    public RelayNodeProcess B { get; }

    public string AdminCredential { get; }

    /// <summary>The nodes' database and schema, for a test that writes to it as a node would (an Npgsql connection string).</summary>
    public string Database => new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema }.ConnectionString;

    /// <summary>Skips (or, with ENIGM_POSTGRES_REQUIRED=1, fails) when ENIGM_POSTGRES is unset.</summary>
    public static async Task<TwoNodeCluster> StartAsync()
    {
        var server = PostgresRelayStoreTests.ServerConnectionString();
        var schema = "scale_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var folder = Directory.CreateTempSubdirectory("enigm-scale-out-").FullName;
        var db = RelayStoreSpecPrefix + new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        var credential = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var environment = new Dictionary<string, string>
        {
            ["ENIGM_RELAY_ADMIN_CREDENTIAL"] = credential,
            ["ENIGM_RELAY_LOG_KEY_PASSPHRASE"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        };
        var data = Path.Combine(folder, "data");

        // A first: it migrates the schema and creates the shared log key store; B then opens both.
        var a = await RelayNodeProcess.StartAsync(db, data, ServerId, environment);
        try
        {
            var b = await RelayNodeProcess.StartAsync(db, data, ServerId, environment);
            return new TwoNodeCluster(server, schema, folder, a, b, credential);
        }
        catch
        {
            a.Dispose();
            throw;
        }
    }

    private const string RelayStoreSpecPrefix = "postgres:";

    public static HttpClient Client(RelayNodeProcess node, string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(node.Url), Timeout = TimeSpan.FromSeconds(20) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates a new account (one device, "phone") through <paramref name="node"/>.</summary>
    public static async Task<TestAccount> CreateAccountAsync(RelayNodeProcess node)
    {
        var account = TestAccount.New();
        using var client = Client(node);
        var response = await client.PostAsJsonAsync(RelayRoutes.Accounts, new CreateAccountRequest(account.LogFile), RelayJson.Default.CreateAccountRequest);
        await RelayAssert.Ok(response, RelayJson.Default.DeviceLogResponse);
        return account;
    }

    /// <summary>Challenge and token through <paramref name="node"/> (any node's token works on every node).</summary>
    public static async Task<string> LoginAsync(RelayNodeProcess node, TestAccount account, string device = "phone")
    {
        using var client = Client(node);
        var response = await client.PostAsJsonAsync(RelayRoutes.Challenge, new ChallengeRequest(account.Id, device), RelayJson.Default.ChallengeRequest);
        var challenge = (await RelayAssert.Ok(response, RelayJson.Default.ChallengeResponse)).Challenge;
        var signature = TestAccount.Scheme.Sign(account.Key(device), RelayAuth.SignedMessage(ServerId, account.Id, device, challenge));
        response = await client.PostAsJsonAsync(RelayRoutes.Token, new TokenRequest(account.Id, device, challenge, signature), RelayJson.Default.TokenRequest);
        return (await RelayAssert.Ok(response, RelayJson.Default.TokenResponse)).Token;
    }

    public static async Task<ClientWebSocket> ConnectAsync(RelayNodeProcess node, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var uri = new Uri(node.Url.Replace("http://", "ws://", StringComparison.Ordinal) + RelayRoutes.MailboxStream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(uri, timeout.Token);
        return socket;
    }

    /// <summary>The next frame; null when the server closed the socket.</summary>
    public static async Task<StreamFrame?> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024]; // the test's messages are small
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return result.MessageType == WebSocketMessageType.Close ? null : JsonSerializer.Deserialize(buffer.AsSpan(0, length), RelayJson.Default.StreamFrame);
    }

    public static Task AckAsync(WebSocket socket, params long[] seqs) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new AckRequest(seqs), RelayJson.Default.AckRequest), WebSocketMessageType.Text, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        try
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a dying process: the OS temp cleaner gets it.
            }
        }
    }
}
