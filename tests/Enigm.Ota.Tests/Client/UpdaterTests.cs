using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

public sealed class UpdaterTests : IDisposable
{
    private readonly RepoWriter _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Refreshes_and_downloads_a_verified_target_into_place()
    {
        var data = "firmware v2"u8.ToArray();
        _repo.AddTarget("fw/app.bin", data);
        _repo.Publish();
        var updater = _repo.Updater();
        var trusted = updater.Refresh();
        Assert.Equal(1, trusted.Targets!.Signed.Version);

        var target = updater.FindTarget("fw/app.bin")!;
        var reported = new List<long>();
        var path = updater.Download(target, _repo.OutDir, new SyncProgress(reported.Add));

        Assert.Equal(Path.Combine(_repo.OutDir, "fw", "app.bin"), path);
        Assert.Equal(data, File.ReadAllBytes(path));
        Assert.Equal(data.Length, reported[^1]);
        Assert.Single(Directory.GetFiles(_repo.OutDir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Persists_trusted_metadata_for_the_next_run()
    {
        _repo.AddTarget("a.bin", [1, 2, 3]);
        _repo.Publish();
        _repo.Updater().Refresh();
        foreach (var role in new[] { "root", "timestamp", "snapshot", "targets" })
            Assert.True(File.Exists(Path.Combine(_repo.StateDir, role + ".json")), role);
        Assert.Empty(Directory.GetFiles(_repo.StateDir, "*.tmp"));

        _repo.Publish();
        var trusted = _repo.Updater().Refresh();
        Assert.Equal(2, trusted.Timestamp!.Signed.Version);
    }

    [Fact]
    public void Returns_null_for_a_target_no_role_lists()
    {
        _repo.AddTarget("a.bin", [1]);
        _repo.Publish();
        var updater = _repo.Updater();
        updater.Refresh();
        Assert.Null(updater.FindTarget("b.bin"));
    }

    [Fact]
    public void Fails_with_a_repository_error_without_a_bootstrapped_root()
    {
        var updater = new Updater(new DirectoryFetcher(_repo.RepoDir), new TrustedMetadataStore(Path.Combine(_repo.Folder, "empty")));
        Assert.Throws<RepositoryException>(() => updater.Refresh());
    }

    [Fact]
    public void Fails_with_a_repository_error_when_timestamp_is_missing()
    {
        Assert.Throws<RepositoryException>(() => _repo.Updater().Refresh());
    }

    [Fact]
    public void Leaves_no_file_behind_when_the_artifact_does_not_verify()
    {
        var data = new byte[3000];
        _repo.AddTarget("a.bin", data);
        _repo.Publish();
        var updater = _repo.Updater();
        updater.Refresh();
        var evil = (byte[])data.Clone();
        evil[2999] ^= 1;
        _repo.Write(RepoWriter.TargetFileName("a.bin", data), evil);

        Assert.Throws<HashMismatchException>(() => updater.Download(updater.FindTarget("a.bin")!, _repo.OutDir));
        Assert.Empty(Directory.GetFiles(_repo.OutDir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Finds_delegated_targets_by_path_pattern_in_priority_order()
    {
        var first = _repo.Keys.NewSigner();
        var second = _repo.Keys.NewSigner();
        _repo.Delegated.Add((Role("first", first, ["apps/*.bin"], terminating: false), first, new() { ["apps/x.bin"] = [1], ["other/y.bin"] = [9] }));
        _repo.Delegated.Add((Role("second", second, ["apps/*"], terminating: false), second, new() { ["apps/x.bin"] = [2], ["apps/z.txt"] = [3] }));
        _repo.Publish();
        var updater = _repo.Updater();
        updater.Refresh();

        Assert.Equal("first", updater.FindTarget("apps/x.bin")!.Role);
        Assert.Equal("second", updater.FindTarget("apps/z.txt")!.Role);
        // "first" lists other/y.bin but is not trusted for that path.
        Assert.Null(updater.FindTarget("other/y.bin"));
        Assert.Equal(["apps/x.bin", "apps/z.txt"], updater.ListTargets().Select(t => t.Path));
    }

    [Fact]
    public void Stops_at_a_terminating_delegation()
    {
        var first = _repo.Keys.NewSigner();
        var second = _repo.Keys.NewSigner();
        _repo.Delegated.Add((Role("first", first, ["apps/*"], terminating: true), first, new() { ["apps/a.bin"] = [1] }));
        _repo.Delegated.Add((Role("second", second, ["apps/*"], terminating: false), second, new() { ["apps/b.bin"] = [2] }));
        _repo.Publish();
        var updater = _repo.Updater();
        updater.Refresh();

        Assert.NotNull(updater.FindTarget("apps/a.bin"));
        Assert.Null(updater.FindTarget("apps/b.bin"));
        Assert.False(updater.Trusted.TargetsRoles.ContainsKey("second"));
    }

    [Fact]
    public void Matches_path_hash_prefixes()
    {
        var signer = _repo.Keys.NewSigner();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("bin/k.bin"u8));
        var role = new DelegatedRole { Name = "bins", Keys = new([signer.KeyId], 1), Terminating = false, PathHashPrefixes = [hash[..2]] };
        _repo.Delegated.Add((role, signer, new() { ["bin/k.bin"] = [7] }));
        _repo.Publish();
        var updater = _repo.Updater();
        updater.Refresh();
        Assert.Equal("bins", updater.FindTarget("bin/k.bin")!.Role);
    }

    [Fact]
    public void Rejects_a_delegated_role_signed_by_a_key_it_was_not_delegated()
    {
        var delegated = _repo.Keys.NewSigner();
        var attacker = _repo.Keys.NewSigner();
        _repo.Delegated.Add((Role("apps", delegated, ["apps/*"], terminating: false), attacker, new() { ["apps/a.bin"] = [1] }));
        _repo.Publish();
        var updater = _repo.Updater();
        updater.Refresh();
        var e = Assert.Throws<ThresholdNotMetException>(() => updater.FindTarget("apps/a.bin"));
        Assert.Equal("apps", e.Role);
    }

    internal static DelegatedRole Role(string name, TufSigner signer, IReadOnlyList<string> paths, bool terminating) =>
        new() { Name = name, Keys = new([signer.KeyId], 1), Terminating = terminating, Paths = paths };

    internal sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
