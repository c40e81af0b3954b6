using Enigm.Cli.Commands.Release;
using Enigm.Ota.Repository;
using Enigm.Ota.Tests.Repository;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace Enigm.Ota.Tests.Interop;

/// <summary>
/// A classical (Ed25519) repository made by <c>enigm release</c> and served by the <c>release serve</c>
/// host on loopback is read by the standard tuf-js client: metadata verified, target downloaded from
/// its consistent-snapshot name. tuf-js is installed by scripts/tufjs-install.sh if missing. Without
/// node on the machine the tests are reported as skipped with the reason, except when
/// ENIGM_INTEROP_REQUIRED=1 (set by CI, where node is installed): then a missing node fails them.
/// </summary>
[Collection(PassphraseEnvironment.Name)]
public sealed class TufJsInteropTests : IDisposable
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(90);
    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-tufjs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Repo => Path.Combine(_folder, "repo");

    [SkippableFact]
    public async Task Tuf_js_downloads_a_target_from_an_ed25519_repository_served_on_loopback()
    {
        RequireNode();
        var script = InstallClient();
        var artifact = Path.Combine(_folder, "app.bin");
        await File.WriteAllTextAsync(artifact, "enigm release 4.2.0 for tuf-js");
        PublishClassicalRepository(artifact);

        await using var host = await Serve();
        var url = RepositoryHost.Addresses(host)[0];
        var result = Download(script, url, "firmware/app.bin");

        Assert.True(result.Code == 0, $"tuf-js failed (exit {result.Code}): {result.Error}{result.Output}");
        Assert.Equal("enigm release 4.2.0 for tuf-js", await File.ReadAllTextAsync(result.Output.Trim()));
    }

    [SkippableFact]
    public async Task Tuf_js_refuses_a_tampered_target_from_the_same_repository()
    {
        RequireNode();
        var script = InstallClient();
        var artifact = Path.Combine(_folder, "app.bin");
        await File.WriteAllTextAsync(artifact, "genuine");
        PublishClassicalRepository(artifact);
        // An attacker on the mirror swaps the stored file's bytes (same length).
        foreach (var stored in Directory.EnumerateFiles(new RepositoryLayout(Repo).TargetsDirectory, "*.app.bin", SearchOption.AllDirectories))
            await File.WriteAllTextAsync(stored, "tampered");

        await using var host = await Serve();
        var result = Download(script, RepositoryHost.Addresses(host)[0], "firmware/app.bin");

        Assert.NotEqual(0, result.Code);
    }

    internal static void RequireNode()
    {
        var available = NodeProcess.NodeAvailable();
        const string reason = "node is not installed, so the tuf-js client cannot run";
        if (!available && Environment.GetEnvironmentVariable("ENIGM_INTEROP_REQUIRED") == "1")
            Assert.Fail($"ENIGM_INTEROP_REQUIRED=1 but {reason}");
        Skip.IfNot(available, reason);
    }

    /// <summary>Installs tests/interop/tufjs if needed; returns the path of its download.mjs.</summary>
    internal static string InstallClient()
    {
        var root = NodeProcess.RepositoryRoot();
        var clientFolder = Path.Combine(root, "tests", "interop", "tufjs");
        if (!Directory.Exists(Path.Combine(clientFolder, "node_modules", "tuf-js")) || !Directory.Exists(Path.Combine(clientFolder, "node_modules", "@tufjs", "models")))
        {
            var install = NodeProcess.Run("bash", [Path.Combine(root, "scripts", "tufjs-install.sh")], TimeSpan.FromMinutes(5));
            Assert.True(install.Code == 0, $"tufjs-install.sh failed: {install.Error}");
        }

        return Path.Combine(clientFolder, "download.mjs");
    }

    private void PublishClassicalRepository(string artifact)
    {
        var holder = new ReleaseCli(Path.Combine(_folder, "home"));
        holder.Json("release", "init", Repo, "--key-type", "ed25519");
        holder.Json("release", "add", Repo, artifact, "--name", "firmware/app.bin", "--version", "4.2.0", "--channel", "stable");
        holder.Json("release", "sign", Repo, "--role", "root");
        holder.Json("release", "sign", Repo, "--role", "targets");
        holder.Json("release", "publish", Repo);
        // A second publish, so tuf-js walks a root chain and newer versions too.
        holder.Json("release", "rotate-key", Repo, "--role", "snapshot", "--key-type", "ed25519");
        holder.Json("release", "sign", Repo, "--role", "root");
        holder.Json("release", "publish", Repo);
    }

    private async Task<WebApplication> Serve()
    {
        var host = RepositoryHost.Build(Repo, "http://127.0.0.1:0");
        await host.StartAsync();
        return host;
    }

    private (int Code, string Output, string Error) Download(string script, string url, string target) =>
        NodeProcess.Run("node", [
            script,
            url + "/metadata",
            url + "/targets",
            new RepositoryLayout(Repo).Versioned("root", 1),
            target,
            Path.Combine(_folder, "downloads"),
        ], NodeTimeout);
}
