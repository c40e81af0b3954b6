using System.Diagnostics;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Cli;

/// <summary>
/// <c>enigm update</c> with plain TUF targets (no Enigm release rules), with --out edge cases, with
/// a server that trickles, and with bad input: every failure is one line and its family's exit code,
/// never 70 ("internal error").
/// </summary>
public sealed class UpdateInputCliTests : IDisposable
{
    private static readonly byte[] DataA = "release in a"u8.ToArray();
    private static readonly byte[] DataB = "release in b"u8.ToArray();
    private static readonly byte[] Readme = "plain TUF target"u8.ToArray();
    private readonly RepoWriter _repo = new();
    private readonly string _device;
    private readonly string _root;

    public UpdateInputCliTests()
    {
        _device = Path.Combine(_repo.Folder, "device.json");
        File.WriteAllBytes(_device, new DeviceProfile { Id = "dev-1", Model = "m1", Channel = "stable", InstalledVersion = "1.0.0", OsVersion = "13" }.ToJson());
        _root = Path.Combine(_repo.Folder, "root.json");
        File.WriteAllBytes(_root, _repo.RootBytes(1));
        _repo.AddTarget("a/x.bin", DataA, Rules("2.0.0").ToCustom());
        _repo.AddTarget("b/x.bin", DataB, Rules("2.1.0").ToCustom());
        _repo.AddTarget("docs/readme.txt", Readme);
        _repo.Publish();
    }

    public void Dispose() => _repo.Dispose();

    private static ReleaseRules Rules(string version) => new() { Version = version, Channel = "stable" };

    private string Out => Path.Combine(_repo.Folder, "dl");

    private string[] Common(string command, params string[] more) =>
        ["update", command, "--repo", _repo.RepoDir, "--device", _device, "--root", _root, .. more];

    private static (int Code, string Output, string Error) OneLineFailure(int expected, (int Code, string Output, string Error) result)
    {
        Assert.True(result.Code == expected, $"exit {result.Code}, expected {expected}: {result.Error}");
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        return result;
    }

    [Fact]
    public void Check_says_a_target_without_release_rules_has_no_eligibility_rules()
    {
        var (code, output, error) = EnigmCli.Run(Common("check"));
        Assert.True(code == 0, error);
        var line = output.Split('\n').Single(l => l.Contains("docs/readme.txt", StringComparison.Ordinal));
        Assert.Contains("no eligibility rules", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_by_name_downloads_a_target_without_release_rules()
    {
        var (code, _, error) = EnigmCli.Run(Common("fetch", "--target", "docs/readme.txt", "--out", Out));
        Assert.True(code == 0, error);
        Assert.Equal(Readme, File.ReadAllBytes(Path.Combine(Out, "docs", "readme.txt")));
    }

    [Fact]
    public void Automatic_selection_in_a_repository_without_release_rules_says_to_name_a_target()
    {
        _repo.Targets.Remove("a/x.bin");
        _repo.Targets.Remove("b/x.bin");
        _repo.Publish();
        var (_, _, error) = OneLineFailure(37, EnigmCli.Run(Common("fetch", "--out", Out)));
        Assert.Contains("release rules", error, StringComparison.Ordinal);
        Assert.Contains("--target", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fetch_keeps_each_target_at_its_relative_path_under_out()
    {
        Assert.Equal(0, EnigmCli.Run(Common("fetch", "--target", "a/x.bin", "--out", Out)).Code);
        Assert.Equal(0, EnigmCli.Run(Common("fetch", "--target", "b/x.bin", "--out", Out)).Code);
        Assert.Equal(DataA, File.ReadAllBytes(Path.Combine(Out, "a", "x.bin")));
        Assert.Equal(DataB, File.ReadAllBytes(Path.Combine(Out, "b", "x.bin")));
    }

    [Fact]
    public void Fetch_refuses_to_replace_an_existing_file_unless_forced()
    {
        var existing = Path.Combine(Out, "b", "x.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        File.WriteAllText(existing, "installed earlier");

        var (_, _, error) = OneLineFailure(39, EnigmCli.Run(Common("fetch", "--out", Out)));
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal("installed earlier", File.ReadAllText(existing));

        Assert.Equal(0, EnigmCli.Run(Common("fetch", "--out", Out, "--force")).Code);
        Assert.Equal(DataB, File.ReadAllBytes(existing));
    }

    [Fact]
    public void Fetch_into_a_missing_folder_creates_it()
    {
        var deep = Path.Combine(_repo.Folder, "new", "folder");
        Assert.Equal(0, EnigmCli.Run(Common("fetch", "--out", deep)).Code);
        Assert.Equal(DataB, File.ReadAllBytes(Path.Combine(deep, "b", "x.bin")));
    }

    [Fact]
    public void Fetch_into_a_file_is_a_repository_error()
    {
        var file = Path.Combine(_repo.Folder, "a-file");
        File.WriteAllText(file, "x");
        OneLineFailure(39, EnigmCli.Run(Common("fetch", "--out", file)));
        OneLineFailure(39, EnigmCli.Run(Common("fetch", "--out", Path.Combine(file, "sub"))));
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void A_trickling_server_ends_in_exit_50_at_the_transfer_timeout()
    {
        // metadata/ and targets/ under one root, as 'enigm release serve' lays them out.
        var served = Directory.CreateDirectory(Path.Combine(_repo.Folder, "served")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(served, "metadata"), _repo.RepoDir);
        using var server = new TricklingServer(served);
        server.Trickled.Add("metadata/timestamp.json");
        var clock = Stopwatch.StartNew();

        var (_, _, error) = OneLineFailure(50, EnigmCli.Run("update", "check", "--repo", server.BaseUrl.AbsoluteUri, "--device", _device, "--root", _root, "--transfer-timeout", "2s"));

        Assert.Contains("slow retrieval", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_body_below_the_minimum_rate_ends_in_exit_50()
    {
        var served = Directory.CreateDirectory(Path.Combine(_repo.Folder, "served")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(served, "metadata"), _repo.RepoDir);
        using var server = new TricklingServer(served);
        server.Trickled.Add("metadata/timestamp.json");

        // 10 bytes/s against 1,000 bytes/s: refused when the 10 s grace period ends.
        var (_, _, error) = OneLineFailure(50, EnigmCli.Run("update", "check", "--repo", server.BaseUrl.AbsoluteUri, "--device", _device, "--root", _root, "--min-rate", "1000"));
        Assert.Contains("minimum average", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--transfer-timeout", "0s")]
    [InlineData("--transfer-timeout", "soon")]
    [InlineData("--transfer-timeout", "-5m")]
    [InlineData("--min-rate", "-1")]
    [InlineData("--min-rate", "fast")]
    public void Bad_transfer_limits_are_usage_errors(string option, string value)
    {
        OneLineFailure(2, EnigmCli.Run(Common("check", option, value)));
    }

    [Theory]
    [InlineData("http://")]
    [InlineData("http://[::1")]
    [InlineData("https://exa mple/")]
    [InlineData("ftp://updates.example/repo/")]
    [InlineData("no-such-folder")]
    public void A_bad_repository_exits_39(string repository)
    {
        var repo = repository == "no-such-folder" ? Path.Combine(_repo.Folder, repository) : repository;
        OneLineFailure(39, EnigmCli.Run("update", "check", "--repo", repo, "--device", _device, "--root", _root));
    }

    [Fact]
    public void A_repository_that_is_a_file_exits_39()
    {
        OneLineFailure(39, EnigmCli.Run("update", "check", "--repo", _device, "--device", _device, "--root", _root));
    }

    [Fact]
    public void A_malformed_device_file_or_root_exits_10_and_stores_nothing()
    {
        var bad = Path.Combine(_repo.Folder, "bad.json");
        File.WriteAllText(bad, "{");
        var state = Path.Combine(_repo.Folder, "state-bad");
        OneLineFailure(10, EnigmCli.Run("update", "check", "--repo", _repo.RepoDir, "--device", bad, "--root", _root, "--state", state));
        OneLineFailure(10, EnigmCli.Run("update", "check", "--repo", _repo.RepoDir, "--device", _device, "--root", bad, "--state", state));
        OneLineFailure(10, EnigmCli.Run("update", "check", "--repo", _repo.RepoDir, "--device", _device, "--root", _device, "--state", state));
        Assert.False(File.Exists(Path.Combine(state, "root.json")));
    }

    [Fact]
    public void A_malformed_installed_version_exits_10()
    {
        File.WriteAllBytes(_device, new DeviceProfile { Id = "dev-1", Model = "m1", Channel = "stable", InstalledVersion = "2.0-beta", OsVersion = "13" }.ToJson());
        OneLineFailure(10, EnigmCli.Run(Common("check")));
    }

    [Fact]
    public void A_state_folder_that_is_a_file_exits_39()
    {
        OneLineFailure(39, EnigmCli.Run(Common("check", "--state", _device)));
    }

    [Fact]
    public void Missing_device_or_root_files_are_usage_errors()
    {
        OneLineFailure(2, EnigmCli.Run("update", "check", "--repo", _repo.RepoDir, "--device", Path.Combine(_repo.Folder, "none.json"), "--root", _root));
        OneLineFailure(2, EnigmCli.Run("update", "check", "--repo", _repo.RepoDir, "--device", _device, "--root", Path.Combine(_repo.Folder, "none.json")));
        OneLineFailure(2, EnigmCli.Run("update", "check", "--repo", _repo.RepoDir, "--device", _repo.RepoDir, "--root", _root));
    }
}
