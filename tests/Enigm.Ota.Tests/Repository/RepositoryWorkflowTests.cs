using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using Xunit;

namespace Enigm.Ota.Tests.Repository;

/// <summary>init → add → sign by separate holders → publish, checked by the client-side TUF rules.</summary>
public sealed class RepositoryWorkflowTests : IDisposable
{
    private readonly RepositoryFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Two_holders_reach_the_threshold_and_the_client_accepts_the_published_metadata()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        repository.AddTarget(_fixture.Artifact("app", "release 2.1.0"), "app-2.1.0.bin", new ReleaseRules { Version = "2.1.0", Channel = "stable" });
        repository.Sign("root", [alice]);
        repository.Sign("root", [bob]);
        repository.Sign("targets", [alice]);
        // Bob signs from his own process: a fresh Open sees only the files.
        TufRepository.Open(_fixture.Folder).Sign("targets", [bob]);

        var result = repository.Publish([online]);

        Assert.Equal((1, 1, 1, 1), (result.RootVersion, result.TargetsVersion, result.SnapshotVersion, result.TimestampVersion));
        var layout = repository.Layout;
        var set = RepositoryClient.Refresh(layout, RepositoryClient.FirstRoot(layout));
        var target = set.Targets!.Signed.Targets["app-2.1.0.bin"];
        Assert.True(set.Root.Signed.ConsistentSnapshot);
        Assert.Equal("2.1.0", ReleaseRules.FromCustom(target.Custom)!.Version);
        Assert.Empty(repository.StagedRoles);
    }

    [Fact]
    public void Published_files_follow_the_consistent_snapshot_layout()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        var content = "payload";
        repository.AddTarget(_fixture.Artifact("fw", content), "firmware/fw.bin", null);
        SignAll(repository, alice, bob);
        repository.Publish([online]);

        var metadata = Directory.EnumerateFiles(repository.Layout.MetadataDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["1.root.json", "1.snapshot.json", "1.targets.json", "root.json", "timestamp.json"], metadata);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
        var sha512 = Convert.ToHexStringLower(SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
        Assert.Equal(content, File.ReadAllText(Path.Combine(repository.Layout.TargetsDirectory, "firmware", $"{sha256}.fw.bin")));
        Assert.True(File.Exists(Path.Combine(repository.Layout.TargetsDirectory, "firmware", $"{sha512}.fw.bin")));
        Assert.False(File.Exists(Path.Combine(repository.Layout.MetadataDirectory, "snapshot.json")));
        // Canonical JSON on disk: what was signed is byte for byte what is served.
        var timestampBytes = File.ReadAllBytes(repository.Layout.Current("timestamp"));
        Assert.Equal(timestampBytes, Metadata<TimestampMetadata>.FromBytes(timestampBytes).ToBytes());
    }

    [Fact]
    public void A_second_publish_writes_new_versions_that_a_client_follows()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        SignAll(repository, alice, bob);
        repository.Publish([online]);
        var firstRoot = RepositoryClient.FirstRoot(repository.Layout);

        repository.AddTarget(_fixture.Artifact("v2", "two"), "app.bin", new ReleaseRules { Version = "2.0.0", Channel = "beta", RolloutPercent = 10 });
        repository.Sign("targets", [alice, bob]);
        var second = repository.Publish([online]);

        Assert.Equal((2, 2, 2), (second.TargetsVersion, second.SnapshotVersion, second.TimestampVersion));
        var set = RepositoryClient.Refresh(repository.Layout, firstRoot);
        Assert.Equal(10, ReleaseRules.FromCustom(set.Targets!.Signed.Targets["app.bin"].Custom)!.RolloutPercent);
    }

    [Fact]
    public void A_role_below_its_threshold_is_not_published()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        repository.Sign("root", [alice, bob]);
        repository.Sign("targets", [alice]);

        var error = Assert.Throws<ThresholdNotMetException>(() => repository.Publish([online]));

        Assert.Equal(("targets", 1, 2), (error.Role, error.ValidSignatures, error.Threshold));
        Assert.Empty(Directory.EnumerateFiles(repository.Layout.MetadataDirectory));
        var status = repository.Status("targets");
        Assert.False(status.ThresholdMet);
        Assert.Equal([alice.Key.KeyId], status.SignedKeyIds);
    }

    [Fact]
    public void A_holder_without_a_key_of_the_role_cannot_sign_it()
    {
        var (repository, _, _, online) = _fixture.TwoHolderRepository();
        Assert.Throws<RepositoryException>(() => repository.Sign("targets", [online]));
        Assert.Throws<RepositoryException>(() => repository.Sign("snapshot", [online]));
    }

    [Fact]
    public void Add_records_length_both_hashes_and_the_release_rules_as_custom()
    {
        var (repository, _, _, _) = _fixture.TwoHolderRepository();
        var rules = new ReleaseRules
        {
            Version = "3.0.0",
            Channel = "stable",
            Models = ["m1", "m2"],
            MinOs = "13.0",
            RolloutPercent = 25,
            RequireTrust = "verified",
        };
        var bytes = System.Text.Encoding.UTF8.GetBytes("the artifact");
        var file = _fixture.Artifact("a", "the artifact");

        repository.AddTarget(file, "a.bin", rules);

        var staged = repository.StagedTargets("targets")!.Signed.Targets["a.bin"];
        Assert.Equal(bytes.Length, staged.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), staged.Hashes["sha256"]);
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(bytes)), staged.Hashes["sha512"]);
        Assert.Equal(CanonicalJson.Serialize(rules.ToCustom()), CanonicalJson.Serialize(staged.Custom!));
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("/absolute.bin")]
    [InlineData("dir//x.bin")]
    [InlineData("back\\slash.bin")]
    [InlineData("")]
    public void Rejects_target_paths_that_could_escape_the_targets_folder(string path)
    {
        var (repository, _, _, _) = _fixture.TwoHolderRepository();
        Assert.Throws<MalformedInputException>(() => repository.AddTarget(_fixture.Artifact("x", "x"), path, null));
    }

    [Fact]
    public void Missing_or_corrupt_repository_state_is_a_repository_error()
    {
        Assert.Throws<RepositoryException>(() => TufRepository.Open(Path.Combine(_fixture.Folder, "nothing-here")));
        var (repository, _, _, _) = _fixture.TwoHolderRepository();
        Assert.Throws<RepositoryException>(() => TufRepository.Init(_fixture.Folder, new Dictionary<string, RoleKeySpec>()));
        File.WriteAllText(repository.Layout.Staged("targets"), "{\"signed\": ");
        Assert.Throws<RepositoryException>(() => repository.StagedTargets("targets"));
        File.WriteAllText(repository.Layout.SettingsFile, "[]");
        Assert.Throws<RepositoryException>(() => TufRepository.Open(_fixture.Folder));
    }

    [Fact]
    public void Refreshing_the_timestamp_keeps_the_snapshot_and_raises_the_version()
    {
        var (repository, alice, bob, online) = _fixture.TwoHolderRepository();
        SignAll(repository, alice, bob);
        repository.Publish([online]);

        var refreshed = repository.RefreshTimestamp([online]);

        Assert.Equal(2, refreshed.Signed.Version);
        Assert.Equal(1, refreshed.Signed.SnapshotMeta.Version);
        RepositoryClient.Refresh(repository.Layout, RepositoryClient.FirstRoot(repository.Layout));
        Assert.Throws<ThresholdNotMetException>(() => repository.RefreshTimestamp([alice]));
    }

    internal static void SignAll(TufRepository repository, params ITufSigner[] signers)
    {
        foreach (var role in repository.StagedRoles) repository.Sign(role, signers);
    }
}
