using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

public sealed class RootChainTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private TrustedMetadataSet TrustV1() =>
        new(TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0], _repo.RootSigners[1]), TestRepository.Now);

    [Fact]
    public void Accepts_a_chain_of_roots_each_signed_by_old_and_new_thresholds()
    {
        var set = TrustV1();
        var old = _repo.RootSigners;
        _repo.RootSigners = [old[0], old[1], _repo.NewSigner()];
        set.UpdateRoot(TestRepository.Sign(_repo.Root(2), old[0], old[1]));
        var v2Signers = _repo.RootSigners;
        _repo.RootSigners = [v2Signers[2], _repo.NewSigner(), _repo.NewSigner()];
        set.UpdateRoot(TestRepository.Sign(_repo.Root(3), v2Signers[0], v2Signers[2], _repo.RootSigners[1]));

        Assert.Equal(3, set.Root.Signed.Version);
        set.CheckRootNotExpired();
        Assert.False(set.TimestampOrSnapshotKeysRotated);
    }

    [Fact]
    public void Rejects_an_initial_root_below_its_own_threshold()
    {
        var e = Assert.Throws<ThresholdNotMetException>(() =>
            new TrustedMetadataSet(TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0]), TestRepository.Now));
        Assert.Equal("root", e.Role);
    }

    [Fact]
    public void Rejects_a_new_root_not_signed_by_the_old_threshold()
    {
        var set = TrustV1();
        // Attacker-made root: entirely new keys, signed only by them (arbitrary software attack).
        _repo.RootSigners = [_repo.NewSigner(), _repo.NewSigner(), _repo.NewSigner()];
        var forged = TestRepository.Sign(_repo.Root(2), _repo.RootSigners);
        Assert.Throws<ThresholdNotMetException>(() => set.UpdateRoot(forged));
        Assert.Equal(1, set.Root.Signed.Version);
    }

    [Fact]
    public void Rejects_a_new_root_not_signed_by_its_own_threshold()
    {
        var set = TrustV1();
        var old = _repo.RootSigners;
        _repo.RootSigners = [_repo.NewSigner(), _repo.NewSigner(), _repo.NewSigner()];
        Assert.Throws<ThresholdNotMetException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(2), old[0], old[1])));
    }

    [Fact]
    public void Rejects_root_rollback_and_version_skips()
    {
        var set = TrustV1();
        var signers = _repo.RootSigners;
        set.UpdateRoot(TestRepository.Sign(_repo.Root(2), signers));

        var rollback = Assert.Throws<RollbackAttackException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(1), signers)));
        Assert.Equal((2L, 1L), (rollback.TrustedVersion, rollback.NewVersion));
        Assert.Throws<RollbackAttackException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(2), signers)));
        var skip = Assert.Throws<BadVersionNumberException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(4), signers)));
        Assert.Equal(3, skip.ExpectedVersion);
    }

    [Fact]
    public void Removing_a_compromised_key_stops_it_from_signing_later_roots()
    {
        var set = TrustV1();
        var (a, b, compromised) = (_repo.RootSigners[0], _repo.RootSigners[1], _repo.RootSigners[2]);
        var d = _repo.NewSigner();
        _repo.RootSigners = [a, b, d];
        set.UpdateRoot(TestRepository.Sign(_repo.Root(2), a, b));

        // The compromised key plus one current key: below the v2 threshold of 2.
        _repo.RootSigners = [compromised, d, _repo.NewSigner()];
        var e = Assert.Throws<ThresholdNotMetException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(3), compromised, d, _repo.RootSigners[2])));
        Assert.Equal(1, e.ValidSignatures);
        Assert.Equal(2, set.Root.Signed.Version);
    }

    [Fact]
    public void Expiry_of_intermediate_roots_does_not_matter_but_of_the_final_root_does()
    {
        var set = TrustV1();
        var signers = _repo.RootSigners;
        var past = TestRepository.Now.AddDays(-1);
        set.UpdateRoot(TestRepository.Sign(_repo.Root(2, past), signers));
        Assert.Equal(2, set.Root.Signed.Version);
        set.UpdateRoot(TestRepository.Sign(_repo.Root(3), signers));
        set.CheckRootNotExpired();

        var frozen = new TrustedMetadataSet(TestRepository.Sign(_repo.Root(1, past), signers), TestRepository.Now);
        var e = Assert.Throws<MetadataExpiredException>(frozen.CheckRootNotExpired);
        Assert.Equal("root", e.Role);
        Assert.Throws<MetadataExpiredException>(() => frozen.UpdateTimestamp(_repo.Timestamp(1, 1)));
    }

    [Fact]
    public void Reports_rotation_of_timestamp_or_snapshot_keys()
    {
        var set = TrustV1();
        var signers = _repo.RootSigners;
        _repo.TargetsSigner = _repo.NewSigner();
        set.UpdateRoot(TestRepository.Sign(_repo.Root(2), signers));
        Assert.False(set.TimestampOrSnapshotKeysRotated);
        _repo.TimestampSigner = _repo.NewSigner();
        set.UpdateRoot(TestRepository.Sign(_repo.Root(3), signers));
        Assert.True(set.TimestampOrSnapshotKeysRotated);
    }

    [Fact]
    public void Rotating_the_timestamp_key_recovers_from_a_fast_forward_attack()
    {
        var v1 = TestRepository.Sign(_repo.Root(1), _repo.RootSigners);
        var fastForwarded = _repo.Timestamp(1000, 1000);
        var victim = new TrustedMetadataSet(v1, TestRepository.Now);
        victim.UpdateTimestamp(fastForwarded);
        Assert.Throws<RollbackAttackException>(() => victim.UpdateTimestamp(_repo.Timestamp(2, 2)));

        // TUF 5.3.11: the repository rotates the timestamp key in root v2.
        var signers = _repo.RootSigners;
        _repo.TimestampSigner = _repo.NewSigner();
        var v2 = TestRepository.Sign(_repo.Root(2), signers);
        var next = new TrustedMetadataSet(v1, TestRepository.Now);
        next.UpdateRoot(v2);
        Assert.True(next.TimestampOrSnapshotKeysRotated);
        // The persisted fast-forwarded timestamp no longer verifies, so it cannot be a rollback floor.
        Assert.Throws<ThresholdNotMetException>(() => next.UpdateTimestamp(fastForwarded));
        next.UpdateTimestamp(_repo.Timestamp(2, 2));
        Assert.Equal(2, next.Timestamp!.Signed.Version);
    }

    [Fact]
    public void Rejects_other_metadata_offered_as_root()
    {
        var set = TrustV1();
        Assert.Throws<MetadataTypeMismatchException>(() => set.UpdateRoot(_repo.Timestamp(2, 1)));
    }

    [Fact]
    public void Refuses_root_updates_after_timestamp()
    {
        var set = TrustV1();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        Assert.Throws<InvalidOperationException>(() => set.UpdateRoot(TestRepository.Sign(_repo.Root(2), _repo.RootSigners)));
    }
}
