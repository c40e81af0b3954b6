using Enigm.Ota.Eligibility;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Interop;

/// <summary>
/// The other direction of TUF interop: a repository made by another TUF implementation (the tuf-js
/// project's metadata models, tests/interop/tufjs/make-repo.mjs: Ed25519 keys, pretty-printed
/// metadata, targets without any custom data) is read by <c>enigm update</c> as any TUF client
/// would: <c>check</c> lists its targets as having no eligibility rules, <c>fetch --target</c>
/// downloads one by name (over HTTP, to its relative path under --out), and automatic selection,
/// which needs Enigm release rules, says so in a sentence. Skipped without node, as the tuf-js tests.
/// </summary>
public sealed class PlainTufRepositoryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-plain-tuf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Repo => Path.Combine(_folder, "repo");

    private string Device => Path.Combine(_folder, "device.json");

    [SkippableFact]
    public void Enigm_fetches_a_target_by_name_from_a_repository_made_with_tufjs_models()
    {
        TufJsInteropTests.RequireNode();
        var script = Path.Combine(Path.GetDirectoryName(TufJsInteropTests.InstallClient())!, "make-repo.mjs");
        var firmware = Path.Combine(_folder, "plain.bin");
        File.WriteAllText(firmware, "a target with no Enigm rules");
        var notes = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(notes, "release notes");
        var made = NodeProcess.Run("node", [script, Repo, $"fw/plain.bin={firmware}", $"docs/x.bin={notes}"], TimeSpan.FromSeconds(60));
        Assert.True(made.Code == 0, $"make-repo.mjs failed: {made.Error}");
        File.WriteAllBytes(Device, new DeviceProfile { Id = "d1", Model = "m1", Channel = "stable", InstalledVersion = "1.0", OsVersion = "1" }.ToJson());
        var root = Path.Combine(Repo, "metadata", "1.root.json");

        using var server = new LoopbackServer(Repo);
        string[] common = ["--repo", server.BaseUrl.AbsoluteUri, "--device", Device, "--state", Path.Combine(_folder, "state"), "--root", root];

        var check = EnigmCli.Run(["update", "check", .. common]);
        Assert.True(check.Code == 0, check.Error);
        Assert.Contains("no eligibility rules", check.Output, StringComparison.Ordinal);

        var outDir = Path.Combine(_folder, "out");
        var fetch = EnigmCli.Run(["update", "fetch", .. common, "--target", "fw/plain.bin", "--out", outDir]);
        Assert.True(fetch.Code == 0, fetch.Error);
        Assert.Equal("a target with no Enigm rules", File.ReadAllText(Path.Combine(outDir, "fw", "plain.bin")));

        var automatic = EnigmCli.Run(["update", "fetch", .. common, "--out", outDir]);
        Assert.Equal(37, automatic.Code);
        Assert.Contains("--target", automatic.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("any release", automatic.Error, StringComparison.Ordinal);
    }
}
