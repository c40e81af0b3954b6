using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

public sealed class TopLevelRolesTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private TrustedMetadataSet Trust() =>
        new(TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0], _repo.RootSigners[1]), TestRepository.Now);

    private static Dictionary<string, MetaFile> TargetsMeta(long version, byte[]? targetsBytes = null) =>
        new() { ["targets.json"] = TestRepository.MetaOf(version, targetsBytes) };

    [Fact]
    public void Accepts_consistent_timestamp_snapshot_and_targets()
    {
        var set = Trust();
        var targets = TestRepository.Sign(TestRepository.Targets(4), _repo.TargetsSigner);
        var snapshot = _repo.Snapshot(3, TargetsMeta(4, targets));
        set.UpdateTimestamp(_repo.Timestamp(2, 3, snapshot));
        set.UpdateSnapshot(snapshot);
        set.UpdateTargets(targets);

        Assert.Equal(3, set.Snapshot!.Signed.Version);
        Assert.Equal(3, set.Targets!.Signed.Targets["app.bin"].Length);
    }

    [Fact]
    public void Rejects_timestamp_signed_by_the_wrong_key()
    {
        var set = Trust();
        _repo.TimestampSigner = _repo.NewSigner();
        Assert.Throws<ThresholdNotMetException>(() => set.UpdateTimestamp(_repo.Timestamp(1, 1)));
        Assert.Null(set.Timestamp);
    }

    [Fact]
    public void Rejects_rolled_back_timestamp_and_snapshot_versions()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(5, 5));
        set.UpdateTimestamp(_repo.Timestamp(5, 5)); // equal is allowed (TUF 5.4.3.1: less than or equal)
        var e = Assert.Throws<RollbackAttackException>(() => set.UpdateTimestamp(_repo.Timestamp(4, 5)));
        Assert.Equal("timestamp", e.Role);
        var s = Assert.Throws<RollbackAttackException>(() => set.UpdateTimestamp(_repo.Timestamp(6, 4)));
        Assert.Equal("snapshot", s.Role);
        Assert.Equal(5, set.Timestamp!.Signed.Version);
    }

    [Fact]
    public void Rejects_expired_timestamp_and_anything_built_on_it()
    {
        var set = Trust();
        var snapshot = _repo.Snapshot(1, TargetsMeta(1));
        var e = Assert.Throws<MetadataExpiredException>(() =>
            set.UpdateTimestamp(_repo.Timestamp(2, 1, snapshot, TestRepository.Now.AddSeconds(-1))));
        Assert.Equal("timestamp", e.Role);
        Assert.Throws<MetadataExpiredException>(() => set.UpdateSnapshot(snapshot));
        // The expired copy is still the floor for rollback checks of the next timestamp.
        Assert.Throws<RollbackAttackException>(() => set.UpdateTimestamp(_repo.Timestamp(1, 1, snapshot)));
        set.UpdateTimestamp(_repo.Timestamp(3, 1, snapshot));
        set.UpdateSnapshot(snapshot);
    }

    [Fact]
    public void Rejects_snapshot_whose_hash_or_length_differs_from_the_timestamp()
    {
        var set = Trust();
        var snapshot = _repo.Snapshot(1, TargetsMeta(1));
        var other = _repo.Snapshot(1, TargetsMeta(2));
        set.UpdateTimestamp(_repo.Timestamp(1, 1, snapshot));
        Assert.Equal(snapshot.Length, other.Length);
        var hash = Assert.Throws<HashMismatchException>(() => set.UpdateSnapshot(other));
        Assert.Equal("snapshot.json", hash.Name);
        Assert.Throws<LengthExceededException>(() => set.UpdateSnapshot([.. snapshot, (byte)' ']));
        set.UpdateSnapshot(snapshot);
    }

    [Fact]
    public void Rejects_snapshot_of_another_version_than_the_timestamp_names()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 2));
        var e = Assert.Throws<MixAndMatchException>(() => set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1))));
        Assert.Equal("snapshot", e.Role);
        Assert.Null(set.Snapshot);
        set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1)), fromLocalStore: true);
        Assert.Throws<MixAndMatchException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner)));
    }

    [Fact]
    public void Rejects_snapshot_that_rolls_back_or_drops_a_targets_role()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 2));
        set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile> { ["targets.json"] = new(5), ["apps.json"] = new(3) }), fromLocalStore: true);
        Assert.Equal(1, set.Snapshot!.Signed.Version);
        Assert.Throws<MixAndMatchException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(5), _repo.TargetsSigner)));

        var rollback = Assert.Throws<RollbackAttackException>(() =>
            set.UpdateSnapshot(_repo.Snapshot(2, new Dictionary<string, MetaFile> { ["targets.json"] = new(4), ["apps.json"] = new(3) })));
        Assert.Equal("targets.json", rollback.Role);
        var dropped = Assert.Throws<RollbackAttackException>(() =>
            set.UpdateSnapshot(_repo.Snapshot(2, new Dictionary<string, MetaFile> { ["targets.json"] = new(5) })));
        Assert.Equal("apps.json", dropped.Role);
        set.UpdateSnapshot(_repo.Snapshot(2, new Dictionary<string, MetaFile> { ["targets.json"] = new(6), ["apps.json"] = new(3) }));
    }

    [Fact]
    public void Rejects_snapshot_signed_by_the_wrong_key_and_expired_snapshot()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        var good = _repo.SnapshotSigner;
        _repo.SnapshotSigner = _repo.TimestampSigner;
        Assert.Throws<ThresholdNotMetException>(() => set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1))));
        _repo.SnapshotSigner = good;
        var e = Assert.Throws<MetadataExpiredException>(() => set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1), TestRepository.Now)));
        Assert.Equal("snapshot", e.Role);
    }

    [Fact]
    public void Rejects_targets_of_wrong_version_key_hash_or_expiry()
    {
        var set = Trust();
        var targets = TestRepository.Sign(TestRepository.Targets(2), _repo.TargetsSigner);
        var snapshot = _repo.Snapshot(1, TargetsMeta(2, targets));
        set.UpdateTimestamp(_repo.Timestamp(1, 1, snapshot));
        set.UpdateSnapshot(snapshot);

        var otherVersion = TestRepository.Sign(TestRepository.Targets(3), _repo.TargetsSigner);
        Assert.Throws<HashMismatchException>(() => set.UpdateTargets(otherVersion));
        Assert.Throws<LengthExceededException>(() => set.UpdateTargets([.. targets, (byte)'\n']));
        Assert.Null(set.Targets);
        set.UpdateTargets(targets);
    }

    [Fact]
    public void Rejects_targets_version_mismatch_bad_signature_and_expiry_without_hashes()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(2)));

        var mix = Assert.Throws<MixAndMatchException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(3), _repo.TargetsSigner)));
        Assert.Equal("targets", mix.Role);
        Assert.Throws<ThresholdNotMetException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(2), _repo.SnapshotSigner)));
        Assert.Throws<MetadataExpiredException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(2, TestRepository.Now.AddDays(-1)), _repo.TargetsSigner)));
        set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(2), _repo.TargetsSigner));
    }

    [Fact]
    public void Accepts_delegated_targets_signed_by_the_delegated_keys_only()
    {
        var set = Trust();
        var delegate_ = _repo.NewSigner();
        var delegations = new Delegations
        {
            Keys = new Dictionary<string, TufKey> { [delegate_.KeyId] = delegate_.Key },
            Roles = [new DelegatedRole { Name = "apps", Keys = new RoleKeys([delegate_.KeyId], 1), Terminating = true, Paths = ["apps/*"] }],
        };
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile> { ["targets.json"] = new(1), ["apps.json"] = new(7) }));
        set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1, delegations: delegations), _repo.TargetsSigner));

        Assert.Throws<ThresholdNotMetException>(() =>
            set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), _repo.TargetsSigner), "apps", "targets"));
        Assert.Throws<InvalidOperationException>(() =>
            set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), delegate_), "games", "targets"));
        set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), delegate_), "apps", "targets");
        Assert.Equal(7, set.TargetsRoles["apps"].Signed.Version);
    }

    [Fact]
    public void Enforces_workflow_order()
    {
        var set = Trust();
        Assert.Throws<InvalidOperationException>(() => set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1))));
        Assert.Throws<InvalidOperationException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner)));
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, TargetsMeta(1)));
        Assert.Throws<InvalidOperationException>(() => set.UpdateTimestamp(_repo.Timestamp(2, 1)));
    }
}
