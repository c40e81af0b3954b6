using System.Net.Sockets;
using System.Text;
using Enigm.Relay;
using Xunit;

namespace Enigm.Server.Tests.Http;

/// <summary>The relay's read-only OTA repository hosting under /ota.</summary>
public sealed class OtaHostingTests
{
    [Fact]
    public async Task Serves_metadata_and_targets_read_only()
    {
        var repo = MakeRepository();
        await using var relay = await RelayFixture.StartAsync(o => o with { OtaRepository = repo });

        Assert.Equal("{\"signed\":{}}", await relay.Public.GetStringAsync("/ota/metadata/1.root.json"));
        Assert.Equal("firmware", await relay.Public.GetStringAsync("/ota/targets/app.bin"));
        await RelayAssert.Problem(await relay.Public.GetAsync("/ota/metadata/"), 404, RelayProblem.NotFound);
        await RelayAssert.Problem(await relay.Public.GetAsync("/ota/settings.json"), 404, RelayProblem.NotFound);
        var put = await relay.Public.PutAsync("/ota/metadata/1.root.json", new StringContent("x"));
        Assert.True((int)put.StatusCode is 404 or 405, $"PUT answered {(int)put.StatusCode}");
        Assert.Equal("{\"signed\":{}}", File.ReadAllText(Path.Combine(repo, "metadata", "1.root.json")));
    }

    [Theory]
    [InlineData("/ota/metadata/../settings.json")]
    [InlineData("/ota/metadata/%2e%2e/settings.json")]
    [InlineData("/ota/metadata/..%2fsettings.json")]
    [InlineData("/ota/targets/..%2f..%2fsecret.txt")]
    [InlineData("/ota/metadata/.hidden")]
    public async Task Path_traversal_is_refused(string path)
    {
        var repo = MakeRepository();
        await using var relay = await RelayFixture.StartAsync(o => o with { OtaRepository = repo });

        var response = await RawGet(relay.Public.BaseAddress!, path);

        Assert.DoesNotContain("private-settings", response, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret", response, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 4", response, StringComparison.Ordinal);
    }

    /// <summary>A GET with the path exactly as written (HttpClient would normalise the dot segments away).</summary>
    private static async Task<string> RawGet(Uri baseAddress, string path)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static string MakeRepository()
    {
        var outer = Directory.CreateTempSubdirectory("enigm-ota-repo-").FullName;
        var root = Path.Combine(outer, "repo");
        Directory.CreateDirectory(Path.Combine(root, "metadata"));
        Directory.CreateDirectory(Path.Combine(root, "targets"));
        File.WriteAllText(Path.Combine(root, "metadata", "1.root.json"), "{\"signed\":{}}");
        File.WriteAllText(Path.Combine(root, "metadata", ".hidden"), "top-secret");
        File.WriteAllText(Path.Combine(root, "targets", "app.bin"), "firmware");
        File.WriteAllText(Path.Combine(root, "settings.json"), "private-settings");
        File.WriteAllText(Path.Combine(outer, "secret.txt"), "top-secret");
        return root;
    }
}
