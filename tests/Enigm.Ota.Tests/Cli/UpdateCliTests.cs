using System.Text.Json.Nodes;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Cli;

public sealed class UpdateCliTests : IDisposable
{
    private readonly RepoWriter _repo = new();
    private readonly string _device;
    private readonly string _root;

    public UpdateCliTests()
    {
        _device = Path.Combine(_repo.Folder, "device.json");
        File.WriteAllBytes(_device, new DeviceProfile
        {
            Id = "dev-7f3a",
            Model = "m1",
            Channel = "stable",
            InstalledVersion = "2.0.0",
            OsVersion = "13.2",
            TrustState = "verified",
        }.ToJson());
        _root = Path.Combine(_repo.Folder, "root.json");
        File.WriteAllBytes(_root, _repo.RootBytes(1));
        _repo.AddTarget("app-2.1.0.bin", "new release"u8.ToArray(), Rules("2.1.0").ToCustom());
        _repo.AddTarget("app-2.2.0.bin", "newest but beta"u8.ToArray(), (Rules("2.2.0") with { Channel = "beta" }).ToCustom());
        _repo.AddTarget("app-1.9.0.bin", "old"u8.ToArray(), Rules("1.9.0").ToCustom());
        _repo.Publish();
    }

    public void Dispose() => _repo.Dispose();

    private static ReleaseRules Rules(string version) => new() { Version = version, Channel = "stable", Models = ["m1"], RequireTrust = "verified" };

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Enigm.Cli.Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string[] Common(string command, params string[] more) =>
        ["update", command, "--repo", _repo.RepoDir, "--device", _device, "--root", _root, .. more];

    [Fact]
    public void Check_lists_every_release_with_eligibility_and_reasons_as_json()
    {
        var (code, output, error) = Run([.. Common("check"), "--json"]);
        Assert.True(code == 0, error);
        var doc = JsonNode.Parse(output)!;
        var releases = doc["releases"]!.AsArray();
        Assert.Equal(3, releases.Count);
        var beta = releases.Single(r => (string)r!["target"]! == "app-2.2.0.bin")!;
        Assert.False((bool)beta["eligible"]!);
        Assert.Contains(beta["checks"]!.AsArray(), c => (string)c!["rule"]! == "channel" && !(bool)c["passed"]!);
        Assert.True((bool)releases.Single(r => (string)r!["target"]! == "app-2.1.0.bin")!["eligible"]!);
        Assert.True(File.Exists(Path.Combine(_repo.Folder, ".enigm-update", "root.json")));
    }

    [Fact]
    public void Check_narrates_reasons()
    {
        var (code, output, _) = Run(Common("check"));
        Assert.Equal(0, code);
        Assert.Contains("release is for channel beta, device is on stable", output, StringComparison.Ordinal);
        Assert.Contains("release 1.9.0 is not newer than installed 2.0.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_downloads_the_newest_eligible_release_with_progress_on_stderr()
    {
        var outDir = Path.Combine(_repo.Folder, "dl");
        var (code, output, error) = Run(Common("fetch", "--out", outDir));
        Assert.True(code == 0, error);
        Assert.Equal("new release"u8.ToArray(), File.ReadAllBytes(Path.Combine(outDir, "app-2.1.0.bin")));
        Assert.Contains("100%", error, StringComparison.Ordinal);
        Assert.Contains("verified", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_of_an_ineligible_release_exits_36_with_the_reason()
    {
        var (code, _, error) = Run(Common("fetch", "--out", Path.Combine(_repo.Folder, "dl"), "--target", "app-2.2.0.bin"));
        Assert.Equal(36, code);
        Assert.Contains("channel beta", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_of_an_unknown_target_exits_37()
    {
        Assert.Equal(37, Run(Common("fetch", "--out", Path.Combine(_repo.Folder, "dl"), "--target", "nope.bin")).Code);
    }

    [Fact]
    public void Tampered_artifact_exits_35_and_writes_nothing()
    {
        var data = "new release"u8.ToArray();
        _repo.Write(RepoWriter.TargetFileName("app-2.1.0.bin", data), "NEW RELEASE"u8.ToArray());
        var outDir = Path.Combine(_repo.Folder, "dl");
        Assert.Equal(35, Run(Common("fetch", "--out", outDir, "--json")).Code);
        Assert.Empty(Directory.GetFiles(outDir));
    }

    [Fact]
    public void A_repository_signed_only_with_a_refused_algorithm_exits_15()
    {
        var (code, _, error) = Run(Common("check", "--refuse-algorithm", "Ed25519"));
        Assert.True(code == 15, error);
        Assert.Contains("refused", error, StringComparison.Ordinal);
        Assert.Equal(2, Run(Common("check", "--refuse-algorithm", "NoSuchAlgorithm")).Code);
    }

    [Fact]
    public void Rollback_across_runs_exits_32()
    {
        var old = File.ReadAllBytes(_repo.PathOf("timestamp.json"));
        _repo.Publish();
        Assert.Equal(0, Run(Common("check")).Code);
        _repo.Write("timestamp.json", old);
        Assert.Equal(32, Run(Common("check")).Code);
    }

    [Fact]
    public void Fetch_works_over_http_and_an_unreachable_repository_exits_39()
    {
        // Served as `enigm release serve` lays a repository out: metadata/ and targets/ under one root.
        var served = Directory.CreateDirectory(Path.Combine(_repo.Folder, "served")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(served, "metadata"), _repo.RepoDir);
        Directory.CreateSymbolicLink(Path.Combine(served, "targets"), _repo.RepoDir);
        using (var server = new LoopbackServer(served))
        {
            var outDir = Path.Combine(_repo.Folder, "dl");
            var (code, _, error) = Run("update", "fetch", "--repo", server.BaseUrl.AbsoluteUri, "--device", _device, "--root", _root, "--out", outDir, "--json");
            Assert.True(code == 0, error);
            Assert.True(File.Exists(Path.Combine(outDir, "app-2.1.0.bin")));
        }

        Assert.Equal(39, Run("update", "check", "--repo", "http://127.0.0.1:1/", "--device", _device, "--root", _root).Code);
    }

    [Fact]
    public void Missing_root_or_device_is_a_usage_error()
    {
        Assert.Equal(2, Run("update", "check", "--repo", _repo.RepoDir, "--device", _device).Code);
        Assert.Equal(2, Run("update", "check", "--repo", _repo.RepoDir, "--device", "/nonexistent/device.json", "--root", _root).Code);
    }
}
