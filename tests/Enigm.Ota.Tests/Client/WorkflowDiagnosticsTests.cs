using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>
/// What <see cref="TrustedMetadataSet"/> tells its caller when it refuses something: the step that
/// must come first (TUF 5.3–5.6 order), both versions of a mix-and-match, the hash algorithms it could
/// not check, the refused algorithms that signed, and that key rotations accumulate over a root chain.
/// An operator reads these messages (the CLI prints them), so they are part of the behaviour.
/// </summary>
public sealed class WorkflowDiagnosticsTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private TrustedMetadataSet Trust() =>
        new(TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0], _repo.RootSigners[1]), TestRepository.Now);

    private static Dictionary<string, MetaFile> TargetsMeta(long version) => new() { ["targets.json"] = new(version) };

    [Fact]
    public void Each_step_out_of_order_says_which_step_must_come_first()
    {
        var set = Trust();
        Assert.Equal(
            "Timestamp metadata must be loaded before snapshot metadata.",
            Assert.Throws<InvalidOperationException>(() => set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1)))).Message);
        Assert.Equal(
            "Snapshot metadata must be loaded before targets metadata.",
            Assert.Throws<InvalidOperationException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner))).Message);

        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        Assert.Equal(
            "The root chain must be complete before timestamp metadata is loaded.",
            Assert.Throws<InvalidOperationException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(2), _repo.RootSigners))).Message);

        set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1)));
        Assert.Equal(
            "Timestamp metadata cannot change once snapshot metadata is loaded.",
            Assert.Throws<InvalidOperationException>(() => set.UpdateTimestamp(_repo.Timestamp(2, 1))).Message);
    }

    [Fact]
    public void A_snapshot_of_another_version_names_both_versions()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 2));
        var e = Assert.Throws<MixAndMatchException>(() => set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1))));
        Assert.Contains("version 1, but the timestamp names version 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_of_another_version_name_both_versions()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1)));
        var e = Assert.Throws<MixAndMatchException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(2), _repo.TargetsSigner)));
        Assert.Contains("version 2, but the snapshot names version 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hashes_of_unknown_algorithms_alone_are_malformed_and_named()
    {
        var set = Trust();
        var snapshot = _repo.Snapshot(1, TargetsMeta(1));
        var timestamp = TestRepository.Sign(new TimestampMetadata
        {
            Version = 1,
            Expires = TestKeys.FarFuture,
            Meta = new Dictionary<string, MetaFile>
            {
                ["snapshot.json"] = new(1, snapshot.Length, new Dictionary<string, string> { ["blake2b-256"] = "00", ["md5"] = "11" }),
            },
        }, _repo.TimestampSigner);
        set.UpdateTimestamp(timestamp);

        var e = Assert.Throws<MalformedInputException>(() => set.UpdateSnapshot(snapshot));
        Assert.Contains("snapshot.json: no supported hash algorithm among ", e.Message, StringComparison.Ordinal);
        Assert.Contains("blake2b-256", e.Message, StringComparison.Ordinal);
        Assert.Contains("md5", e.Message, StringComparison.Ordinal);
        Assert.Null(set.Snapshot);
    }

    [Fact]
    public void Timestamp_keys_rotated_in_two_successive_roots_still_count_as_rotated()
    {
        // TUF 5.3.11: the client must drop its cached timestamp and snapshot if either role's keys
        // changed anywhere along the chain; a second change must not cancel the first.
        var set = Trust();
        _repo.TimestampSigner = _repo.NewSigner();
        set.UpdateRoot(TestRepository.Sign(_repo.Root(2), _repo.RootSigners));
        Assert.True(set.TimestampOrSnapshotKeysRotated);

        _repo.TimestampSigner = _repo.NewSigner();
        set.UpdateRoot(TestRepository.Sign(_repo.Root(3), _repo.RootSigners));
        Assert.True(set.TimestampOrSnapshotKeysRotated);

        set.UpdateRoot(TestRepository.Sign(_repo.Root(4), _repo.RootSigners));
        Assert.True(set.TimestampOrSnapshotKeysRotated);
    }

    [Fact]
    public void Only_refused_algorithms_that_actually_signed_are_blamed()
    {
        var mlDsa = _repo.NewSigner(SignatureAlgorithm.MlDsa87);
        var ed25519 = _repo.NewSigner();
        var policy = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.Ed25519).RefuseAlgorithm(SignatureAlgorithm.MlDsa87);
        // The ML-DSA-87 key comes first in the role but does not sign; only the Ed25519 key does.
        var root = TestRepository.Sign(TestKeys.Root([mlDsa, ed25519], threshold: 1), ed25519);

        var e = Assert.Throws<SuiteRefusedException>(() => new TrustedMetadataSet(root, TestRepository.Now, policy: policy));

        Assert.Equal(SignatureAlgorithm.Ed25519, e.RefusedAlgorithm);
        Assert.Contains("(Ed25519 is refused by this policy)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ML-DSA-87", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_refused_algorithm_that_signed_is_named_with_its_reason()
    {
        var mlDsa = _repo.NewSigner(SignatureAlgorithm.MlDsa87);
        var ed25519 = _repo.NewSigner();
        var policy = SuitePolicy.Default.RefuseAlgorithm(SignatureAlgorithm.Ed25519).RefuseAlgorithm(SignatureAlgorithm.MlDsa87);
        var root = TestRepository.Sign(TestKeys.Root([mlDsa, ed25519], threshold: 2), mlDsa, ed25519);

        var e = Assert.Throws<SuiteRefusedException>(() => new TrustedMetadataSet(root, TestRepository.Now, policy: policy));

        Assert.Equal(SignatureAlgorithm.MlDsa87, e.RefusedAlgorithm);
        Assert.Contains("(ML-DSA-87 is refused by this policy; Ed25519 is refused by this policy)", e.Message, StringComparison.Ordinal);
        Assert.Contains("0 of 2 signatures by accepted keys", e.Message, StringComparison.Ordinal);
    }
}
