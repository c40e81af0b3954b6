using Enigm.Messaging.Errors;
using Enigm.Messaging.FanOut;
using Enigm.Messaging.Tests.Support;
using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;
using Enigm.Trust.States;
using Xunit;

namespace Enigm.Messaging.Tests.FanOut;

public sealed class FanOutPlannerTests : IDisposable
{
    private readonly TestAccount _alice = TestAccount.Create("alice", devices: 3);
    private readonly TestAccount _bob = TestAccount.Create("bob", devices: 3);

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private static ContactTrust Contact(string name, AccountFingerprint fingerprint, TrustState state) =>
        new(name, fingerprint, state == TrustState.Verified ? fingerprint : null, state, ManualClock.Epoch, []);

    private FanOutPlan Plan(TrustState bobState = TrustState.Verified, TrustPolicy? policy = null, IReadOnlyCollection<DeviceTrust>? states = null) =>
        FanOutPlanner.Plan(_bob.Verified, Contact("bob", _bob.Fingerprint, bobState), _alice.Verified, _alice.Primary.Id, policy ?? TrustPolicy.Default, states);

    [Fact]
    public void Targets_every_trusted_recipient_device_and_the_senders_other_devices()
    {
        var plan = Plan();

        Assert.Equal(_bob.Devices.Select(d => d.Id).Order(StringComparer.Ordinal), plan.RecipientDevices.Select(t => t.DeviceId));
        Assert.Equal(_alice.Devices.Skip(1).Select(d => d.Id).Order(StringComparer.Ordinal), plan.OwnDevices.Select(t => t.DeviceId));
        Assert.DoesNotContain(plan.Targets, t => t.DeviceId == _alice.Primary.Id);
        Assert.Null(plan.Warning);
    }

    [Fact]
    public void Revoked_devices_of_either_account_get_nothing()
    {
        _bob.Revoke(_bob.Devices[2]);
        _alice.Revoke(_alice.Devices[1]);

        var plan = Plan();

        Assert.DoesNotContain(plan.Targets, t => t.DeviceId == _bob.Devices[2].Id || t.DeviceId == _alice.Devices[1].Id);
        Assert.Equal(2, plan.RecipientDevices.Count());
        Assert.Single(plan.OwnDevices);
    }

    [Fact]
    public void A_device_this_side_marked_revoked_gets_nothing_even_while_a_log_lists_it()
    {
        var revoked = new DeviceTrust("bob", _bob.Devices[1].Id, false, TrustState.Revoked, ManualClock.Epoch, ManualClock.Epoch, false, []);

        var plan = Plan(states: [revoked]);

        Assert.DoesNotContain(plan.Targets, t => t.DeviceId == _bob.Devices[1].Id);
        Assert.Equal(2, plan.RecipientDevices.Count());
    }

    [Theory]
    [InlineData(ChangedContactPolicy.BlockUntilReverified)]
    [InlineData(ChangedContactPolicy.AllowAfterAcknowledge)]
    public void A_changed_contact_is_refused(ChangedContactPolicy rule)
    {
        var error = Assert.Throws<ContactChangedException>(() => Plan(TrustState.Changed, TrustPolicy.Default with { ChangedContacts = rule }));
        Assert.Equal("bob", error.Contact);
    }

    [Fact]
    public void A_changed_contact_under_warn_only_is_sent_to_with_a_warning()
    {
        var plan = Plan(TrustState.Changed, TrustPolicy.Default with { ChangedContacts = ChangedContactPolicy.WarnOnly });

        Assert.NotNull(plan.Warning);
        Assert.Equal(3, plan.RecipientDevices.Count());
    }

    [Fact]
    public void A_device_log_of_another_account_than_the_contacts_is_refused()
    {
        using var mallory = TestAccount.Create("mallory");

        Assert.Throws<ContactChangedException>(() =>
            FanOutPlanner.Plan(mallory.Verified, Contact("bob", _bob.Fingerprint, TrustState.Verified), _alice.Verified, _alice.Primary.Id, TrustPolicy.Default));
    }

    [Fact]
    public void A_note_to_self_goes_to_the_senders_other_devices_only()
    {
        var plan = FanOutPlanner.Plan(_alice.Verified, Contact("me", _alice.Fingerprint, TrustState.Verified), _alice.Verified, _alice.Primary.Id, TrustPolicy.Default);

        Assert.Empty(plan.RecipientDevices);
        Assert.Equal(2, plan.OwnDevices.Count());
    }

    [Fact]
    public void A_revoked_sending_device_cannot_plan()
    {
        var sender = _alice.Devices[2];
        _alice.Revoke(sender);

        Assert.Throws<UntrustedDeviceException>(() =>
            FanOutPlanner.Plan(_bob.Verified, Contact("bob", _bob.Fingerprint, TrustState.Verified), _alice.Verified, sender.Id, TrustPolicy.Default));
    }
}
