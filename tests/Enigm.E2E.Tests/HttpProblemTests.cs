using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enigm.E2E.Tests.Support;
using Enigm.Relay;
using Xunit;

namespace Enigm.E2E.Tests;

/// <summary>
/// Hostile HTTP against the real relay process: oversized, malformed and unauthenticated requests each get an
/// <c>application/problem+json</c> error with its stable code, and change nothing the admin API can see.
/// </summary>
public sealed class HttpProblemTests(SqliteRelayFixture relay) : IClassFixture<SqliteRelayFixture>
{
    public static TheoryData<string, string, string, int, string> Requests() => new()
    {
        { "unauthenticated mailbox read", "GET", RelayRoutes.Mailbox, 401, RelayProblem.Unauthenticated },
        { "unauthenticated submit", "POST", RelayRoutes.Messages, 401, RelayProblem.Unauthenticated },
        { "unauthenticated prekey upload", "PUT", RelayRoutes.Prekeys, 401, RelayProblem.Unauthenticated },
        { "forged bearer token", "GET", RelayRoutes.Mailbox + "?token=forged", 401, RelayProblem.Unauthenticated },
        { "malformed JSON account", "POST", RelayRoutes.Accounts, 400, RelayProblem.Malformed },
        { "malformed JSON challenge", "POST", RelayRoutes.Challenge, 400, RelayProblem.Malformed },
        { "device log that is not a log", "POST", RelayRoutes.Accounts, 422, RelayProblem.LogInvalid },
        { "oversized account", "POST", RelayRoutes.Accounts, 413, RelayProblem.TooLarge },
        { "oversized rendezvous payload", "POST", RelayRoutes.Rendezvous.Replace("{channel}", new string('a', 64), StringComparison.Ordinal), 413, RelayProblem.TooLarge },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Hostile_requests_get_problem_json_and_change_nothing(string what, string method, string route, int status, string code)
    {
        var server = await relay.StartAsync();
        using var admin = server.Admin();
        var before = await admin.GetStringAsync(RelayRoutes.AdminStats);

        var (actual, contentType, body) = what == "oversized account"
            ? await OversizedAsync(server.Port, route)
            : await SendAsync(server, what, method, route);

        Assert.True(actual == status, $"{what}: {actual} {body}");
        Assert.Equal("application/problem+json", contentType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(code, (string)problem["code"]!);
        Assert.Equal(status, (int)problem["status"]!);
        Assert.Equal(RelayProblem.TypePrefix + code, (string)problem["type"]!);
        Assert.Equal(before, await admin.GetStringAsync(RelayRoutes.AdminStats));
    }

    [Fact]
    public async Task The_admin_API_refuses_requests_without_its_credential()
    {
        var server = await relay.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.AdminUrl) };
        using var response = await anonymous.GetAsync(RelayRoutes.AdminAccounts);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // Nor does the public listener serve the admin routes.
        using var http = server.Public();
        using var onPublic = await http.GetAsync(RelayRoutes.AdminStats);
        Assert.NotEqual(HttpStatusCode.OK, onPublic.StatusCode);
    }

    private static async Task<(int Status, string? ContentType, string Body)> SendAsync(ServerProcess server, string what, string method, string route)
    {
        using var http = server.Public();
        using var request = new HttpRequestMessage(new HttpMethod(method), route) { Content = Body(what) };
        if (what.StartsWith("forged", StringComparison.Ordinal)) request.Headers.Authorization = new("Bearer", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Declares a body over the relay's request cap and sends only its first bytes: the relay must refuse from the
    /// declared length (a client streaming the whole body would see the connection closed under it).
    /// </summary>
    private static async Task<(int Status, string? ContentType, string Body)> OversizedAsync(int port, string route)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        var head = $"POST {route} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {RelayLimits.MaxRequestBytes + 1024}\r\nConnection: close\r\n\r\n{{\"deviceLog\":\"";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(new string('A', 64 * 1024)));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var contentType = response[..headerEnd].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Split(';')[0].Trim();
        var body = response[(headerEnd + 4)..];
        if (response[..headerEnd].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = body[(body.IndexOf("\r\n", StringComparison.Ordinal) + 2)..body.LastIndexOf("\r\n0\r\n", StringComparison.Ordinal)];
        return (status, contentType, body);
    }

    private static ByteArrayContent? Body(string what)
    {
        byte[]? body = what switch
        {
            _ when what.StartsWith("malformed", StringComparison.Ordinal) => "{\"deviceLog\": [1, 2,"u8.ToArray(),
            _ when what.StartsWith("device log", StringComparison.Ordinal) => Encoding.UTF8.GetBytes("{\"deviceLog\":\"" + Convert.ToBase64String(new byte[64]) + "\"}"),
            "oversized rendezvous payload" => Encoding.UTF8.GetBytes("{\"payload\":\"" + Convert.ToBase64String(new byte[RelayLimits.MaxRendezvousPayloadBytes + 1]) + "\"}"),
            _ when what.StartsWith("unauthenticated submit", StringComparison.Ordinal) => "{\"recipient\":\"x\",\"messages\":[]}"u8.ToArray(),
            _ => null,
        };
        if (body is null) return null;
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return content;
    }
}
