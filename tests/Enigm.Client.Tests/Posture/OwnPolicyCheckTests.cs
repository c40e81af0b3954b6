using Enigm.Client.Posture;
using Enigm.Client.Tests.Support;
using Enigm.Trust.Policy;
using Enigm.Trust.States;
using Xunit;

namespace Enigm.Client.Tests.Posture;

/// <summary>
/// The device's own policy check (docs/policy.md, "The device's own check"): the relay cannot see who sends a
/// sealed-sender message, so a restricted device refuses to send by itself, from the policy and admin actions it
/// verified, for pairwise, sealed, group and file sends, while it still receives; and a device of the organisation drops
/// what a device the organisation revoked still sends (a client that skipped its own check), with a trust event.
/// </summary>
public sealed class OwnPolicyCheckTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private OrgKit _org = null!;
    private EnigmClient _alice = null!;
    private EnigmClient _bob = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _org = new OrgKit(_relay.AdminUrl, File.ReadAllText(_relay.Server.AdminCredentialPath!));
        _alice = await _devices.CreateAsync("alice", _relay.Url);
        _bob = await _devices.CreateAsync("bob", _relay.Url);
        await _alice.AddContactAsync("bob", _bob.Account);
        await _bob.AddContactAsync("alice", _alice.Account);

        // Both hold the other's delivery token afterwards, so every later pairwise send is sealed (no sender on the submit).
        await _alice.SendTextAsync("bob", "hello bob");
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        await _bob.SendTextAsync("alice", "hello alice");
        await _alice.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.True(_alice.Contact("bob").HasDeliveryToken);

        await _org.RegisterAsync();
        await _org.SetPolicyAsync(1, "2.0.0");

        // Enrolled in management (as `enigm posture show` does): they asked before the organisation existed, and an
        // unmanaged device only asks again after EnigmClient.OrganisationDiscoveryInterval.
        await _alice.CheckOrganisationAsync();
        await _bob.CheckOrganisationAsync();
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        _org.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task A_device_below_the_minimum_client_refuses_a_sealed_send_itself_and_still_receives()
    {
        await _alice.PublishPostureAsync(new PostureFacts { ClientVersion = "1.4.0" });

        var refused = await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.SendTextAsync("bob", "sealed but restricted"));
        Assert.Contains("client 1.4.0 is below the minimum 2.0.0", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await _bob.ReceiveAsync(TimeSpan.FromMilliseconds(300))).Messages);

        await _bob.SendTextAsync("alice", "a restricted device still receives");
        Assert.Contains((await _alice.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages, m => m.Text == "a restricted device still receives");

        Assert.Equal(ComplianceState.Restricted, (await _alice.OwnComplianceAsync())!.State);
    }

    [Fact]
    public async Task A_restricted_device_refuses_group_sends_and_files_and_sends_again_once_the_restriction_is_lifted()
    {
        await _alice.CreateGroupAsync("team", ["bob"]);
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        var file = Path.Combine(_devices.Folder, "report.txt");
        await File.WriteAllTextAsync(file, "quarterly numbers");

        await _org.ActAsync(AdminActionKind.Restrict, _alice, "lost laptop under review");

        var group = await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.SendGroupTextAsync("team", "to the group"));
        Assert.Contains("lost laptop under review", group.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.SendGroupFileAsync("team", file));
        await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.SendFileAsync("bob", file));
        Assert.Empty((await _bob.ReceiveAsync(TimeSpan.FromMilliseconds(300))).Messages);

        await _bob.SendGroupTextAsync("team", "the group still reaches alice");
        Assert.Contains((await _alice.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages, m => m.Text == "the group still reaches alice");

        await _org.ActAsync(AdminActionKind.LiftRestriction, _alice, "found it");
        await _alice.SendGroupTextAsync("team", "back");
        Assert.Contains((await _bob.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages, m => m.Text == "back");
    }

    [Fact]
    public async Task A_restricted_device_refuses_roster_changes_and_calls_and_keeps_its_roster_unchanged()
    {
        await _alice.CreateGroupAsync("team", ["bob"]);
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        await _org.ActAsync(AdminActionKind.Restrict, _alice, "under review");

        await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.CreateGroupAsync("second", ["bob"]));
        await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.RemoveGroupMemberAsync("team", "bob"));
        Assert.Equal(["team"], _alice.Groups().Select(g => g.Name));
        Assert.Equal(2, _alice.Group("team").Members.Count);

        var options = new CallOptions { Duration = TimeSpan.FromSeconds(1), RingTimeout = TimeSpan.FromSeconds(2) };
        await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.StartCallAsync(["bob"], options));
        await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.AnswerCallAsync(options));

        await _org.ActAsync(AdminActionKind.LiftRestriction, _alice, "cleared");
        await _alice.CreateGroupAsync("second", ["bob"]);
        Assert.Equal(["second", "team"], _alice.Groups().Select(g => g.Name));
    }

    [Fact]
    public async Task A_device_the_organisation_revoked_refuses_to_send()
    {
        await _org.ActAsync(AdminActionKind.Revoke, _alice, "left the company");

        var refused = await Assert.ThrowsAsync<DeviceRevokedByOrganisationException>(() => _alice.SendTextAsync("bob", "still here?"));
        Assert.Contains("left the company", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ComplianceState.RevokedByOrganisation, (await _alice.OwnComplianceAsync())!.State);
    }

    [Fact]
    public async Task A_recipient_of_the_organisation_drops_sealed_messages_from_a_device_the_organisation_revoked()
    {
        // Mallory's client never sees the organisation (a client that skips its own check): the relay cannot refuse her
        // sealed submit, so Bob's device must drop it.
        var options = _devices.Options("mallory", _relay.Url) with { HttpHandler = new OrganisationHidingHandler() };
        using var mallory = await EnigmClient.CreateAccountAsync(options, "mallory", TestDevices.Protector());
        await mallory.AddContactAsync("bob", _bob.Account);
        await _bob.AddContactAsync("mallory", mallory.Account);
        await _bob.SendTextAsync("mallory", "here is my delivery token");
        await mallory.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.True(mallory.Contact("bob").HasDeliveryToken);
        await mallory.SendTextAsync("bob", "before the revocation");
        Assert.Contains((await _bob.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages, m => m.Text == "before the revocation");

        await _org.ActAsync(AdminActionKind.Revoke, mallory, "stolen device");
        await mallory.SendTextAsync("bob", "after the revocation");
        await _alice.SendTextAsync("bob", "from a device in good standing");

        var received = await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(received.Messages, m => m.Text == "after the revocation");
        Assert.Contains(received.Messages, m => m.Text == "from a device in good standing");
        var notice = Assert.Single(received.Notices, n => n.Kind == ClientNoticeKind.MessageRefused);
        Assert.Contains("revoked by the organisation (stolen device)", notice.Detail, StringComparison.Ordinal);
        var trustEvent = Assert.Single(_bob.RecentTrustEvents(), e => e.Subject == mallory.DeviceId && e.Change.To == TrustState.Revoked);
        Assert.Contains("by the organisation: stolen device", trustEvent.Change.Reason, StringComparison.Ordinal);
        Assert.Equal(TrustState.Revoked, _bob.TrustReview().Devices.Single(d => d.DeviceId == mallory.DeviceId).State);
    }

    [Fact]
    public async Task A_recipient_outside_any_organisation_cannot_tell_and_keeps_the_message()
    {
        // The documented limit: a device that is not managed has no admin audit log to consult.
        var options = _devices.Options("mallory2", _relay.Url) with { HttpHandler = new OrganisationHidingHandler() };
        using var mallory = await EnigmClient.CreateAccountAsync(options, "mallory2", TestDevices.Protector());
        var outsiderOptions = _devices.Options("outsider", _relay.Url) with { HttpHandler = new OrganisationHidingHandler() };
        using var outsider = await EnigmClient.CreateAccountAsync(outsiderOptions, "outsider", TestDevices.Protector());
        await mallory.AddContactAsync("outsider", outsider.Account);
        await _org.ActAsync(AdminActionKind.Revoke, mallory, "stolen device");

        await outsider.AddContactAsync("mallory", mallory.Account);
        await outsider.SendTextAsync("mallory", "token");
        await mallory.ReceiveAsync(TimeSpan.FromSeconds(5));
        await mallory.SendTextAsync("outsider", "an outsider cannot know");

        Assert.Contains((await outsider.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages, m => m.Text == "an outsider cannot know");
    }
}
