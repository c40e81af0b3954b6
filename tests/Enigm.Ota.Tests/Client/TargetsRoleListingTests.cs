using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Client;

/// <summary>
/// TUF 5.6.1: a targets role (top-level or delegated) is trusted only if the trusted snapshot lists
/// it, and only as delegated by root (top-level) or by an accepted targets role (TUF 5.6.7).
/// </summary>
public sealed class TargetsRoleListingTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void Refuses_a_targets_role_missing_from_the_snapshot()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile> { ["apps.json"] = new(1) }));

        var e = Assert.Throws<MixAndMatchException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner)));
        Assert.Equal("targets", e.Role);
        Assert.Contains("not listed in the trusted snapshot", e.Message, StringComparison.Ordinal);
        Assert.Null(set.Targets);
        Assert.Empty(set.TargetsRoles);
    }

    [Fact]
    public void Refuses_a_targets_role_missing_from_an_empty_snapshot()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile>()));
        Assert.Throws<MixAndMatchException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner)));
    }

    [Fact]
    public void Refuses_a_delegated_role_missing_from_the_snapshot()
    {
        var (set, delegate_) = WithDelegation(snapshotListsApps: false);
        var e = Assert.Throws<MixAndMatchException>(() =>
            set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), delegate_), "apps", "targets"));
        Assert.Equal("apps", e.Role);
        Assert.False(set.TargetsRoles.ContainsKey("apps"));
    }

    [Fact]
    public void Accepts_a_listed_delegated_role_and_keeps_the_top_level_role()
    {
        var (set, delegate_) = WithDelegation(snapshotListsApps: true);
        set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), delegate_), "apps", "targets");
        Assert.Equal(["apps", "targets"], set.TargetsRoles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, set.Targets!.Signed.Version);
    }

    [Fact]
    public void Root_delegates_only_the_top_level_targets_role()
    {
        var (set, delegate_) = WithDelegation(snapshotListsApps: true);
        var e = Assert.Throws<InvalidOperationException>(() =>
            set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), delegate_), "apps", "root"));
        Assert.Contains("Root delegates only the targets role", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delegated_role_needs_its_delegator_loaded_first()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile> { ["targets.json"] = new(1), ["apps.json"] = new(7) }));
        var e = Assert.Throws<InvalidOperationException>(() =>
            set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), _repo.TargetsSigner), "apps", "targets"));
        Assert.Contains("Delegating role targets is not loaded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_without_delegations_delegates_nothing()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile> { ["targets.json"] = new(1), ["apps.json"] = new(7) }));
        set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner));
        var e = Assert.Throws<InvalidOperationException>(() =>
            set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), _repo.TargetsSigner), "apps", "targets"));
        Assert.Contains("targets does not delegate to apps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_delegating_to_other_names_does_not_delegate_to_this_one()
    {
        var (set, delegate_) = WithDelegation(snapshotListsApps: true);
        var e = Assert.Throws<InvalidOperationException>(() =>
            set.UpdateDelegatedTargets(TestRepository.Sign(TestRepository.Targets(7), delegate_), "games", "targets"));
        Assert.Contains("targets does not delegate to games", e.Message, StringComparison.Ordinal);
        Assert.False(set.TargetsRoles.ContainsKey("games"));
    }

    [Fact]
    public void A_missing_role_or_delegator_name_is_an_argument_error_naming_it()
    {
        var set = Trust();
        var bytes = TestRepository.Sign(TestRepository.Targets(7), _repo.TargetsSigner);
        Assert.Equal("roleName", Assert.Throws<ArgumentNullException>(() => set.UpdateDelegatedTargets(bytes, null!, "targets")).ParamName);
        Assert.Equal("delegatorName", Assert.Throws<ArgumentNullException>(() => set.UpdateDelegatedTargets(bytes, "apps", null!)).ParamName);
    }

    [Fact]
    public void Targets_need_a_loaded_snapshot_and_freeze_it()
    {
        var set = Trust();
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        Assert.Throws<InvalidOperationException>(() => set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner)));
        set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile> { ["targets.json"] = new(1) }));
        set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1), _repo.TargetsSigner));

        var e = Assert.Throws<InvalidOperationException>(() => set.UpdateSnapshot(_repo.Snapshot(1, new Dictionary<string, MetaFile> { ["targets.json"] = new(1) })));
        Assert.Contains("once targets metadata is loaded", e.Message, StringComparison.Ordinal);
    }

    private TrustedMetadataSet Trust() =>
        new(TestRepository.Sign(_repo.Root(1), _repo.RootSigners[0], _repo.RootSigners[1]), TestRepository.Now);

    private (TrustedMetadataSet Set, TufSigner Delegate) WithDelegation(bool snapshotListsApps)
    {
        var set = Trust();
        var delegate_ = _repo.NewSigner();
        var delegations = new Delegations
        {
            Keys = new Dictionary<string, TufKey> { [delegate_.KeyId] = delegate_.Key },
            Roles = [new DelegatedRole { Name = "apps", Keys = new RoleKeys([delegate_.KeyId], 1), Terminating = true, Paths = ["apps/*"] }],
        };
        var meta = new Dictionary<string, MetaFile> { ["targets.json"] = new(1) };
        if (snapshotListsApps) meta["apps.json"] = new(7);
        set.UpdateTimestamp(_repo.Timestamp(1, 1));
        set.UpdateSnapshot(_repo.Snapshot(1, meta));
        set.UpdateTargets(TestRepository.Sign(TestRepository.Targets(1, delegations: delegations), _repo.TargetsSigner));
        return (set, delegate_);
    }
}
