using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Enigm.Cli.Tests;

/// <summary><c>enigm server run</c> as a real child process: it listens, answers, and stops cleanly on SIGTERM.</summary>
public sealed class ServerRunTests
{
    [Fact]
    public void Enigm_runs_with_idle_thread_pool_workers_blocking_instead_of_spinning()
    {
        // The relay it hosts: at 10,000 msg/s the spinning was a fifth of the relay's CPU (docs/benchmarks.md, "Seventh pass").
        var config = Path.Combine(AppContext.BaseDirectory, "enigm.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(config));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    [Fact]
    public async Task Server_run_listens_prints_its_urls_and_stops_cleanly_on_sigterm()
    {
        var home = Directory.CreateTempSubdirectory("enigm-server-run-").FullName;
        try
        {
            using var server = Support.Enigm.Start(
                new Dictionary<string, string> { ["ENIGM_HOME"] = home },
                "server", "run", "--urls", "http://127.0.0.1:0", "--admin-urls", "http://127.0.0.1:0", "--json");
            var document = await ReadJsonDocument(server.StandardOutput, TimeSpan.FromSeconds(60));
            var url = document.GetProperty("urls")[0].GetString()!;
            var adminUrl = document.GetProperty("adminUrls")[0].GetString()!;
            var credentialFile = document.GetProperty("adminCredentialFile").GetString()!;
            Assert.StartsWith(Path.Combine(home, "relay"), credentialFile, StringComparison.Ordinal);

            using var client = new HttpClient();
            Assert.True((await client.GetAsync(url + "/v1/transparency/head")).IsSuccessStatusCode);
            using var admin = new HttpRequestMessage(HttpMethod.Get, adminUrl + "/admin/v1/stats");
            admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(credentialFile).Trim());
            var stats = await client.SendAsync(admin);
            Assert.True(stats.IsSuccessStatusCode);
            Assert.Contains("\"store\":\"sqlite\"", await stats.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, server.ExitCode);
            Assert.True(File.Exists(Path.Combine(home, "relay", "relay.db")));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void Bad_db_spec_exits_80_with_one_line()
    {
        var home = Directory.CreateTempSubdirectory("enigm-server-run-").FullName;
        try
        {
            var (code, _, error) = Support.Enigm.Run("server", "run", "--db", "mysql:somewhere", "--data", Path.Combine(home, "data"), "--urls", "http://127.0.0.1:0", "--admin-urls", "http://127.0.0.1:0");

            Assert.Equal(80, code);
            Assert.Single(Support.Enigm.Lines(error));
            Assert.Contains("--db", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<JsonElement> ReadJsonDocument(StreamReader output, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var text = new StringBuilder();
        while (await output.ReadLineAsync(timeout.Token) is { } line)
        {
            text.AppendLine(line);
            if (line == "}") return JsonDocument.Parse(text.ToString()).RootElement.Clone();
        }

        throw new Xunit.Sdk.XunitException("enigm server run ended without printing its URLs: " + text);
    }
}
