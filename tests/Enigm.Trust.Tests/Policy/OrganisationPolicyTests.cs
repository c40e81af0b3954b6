using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Trust.Policy;
using Xunit;
using static Enigm.Trust.Tests.Posture.PostureTestKit;

namespace Enigm.Trust.Tests.Policy;

/// <summary>Organisation policy and admin actions: only the pinned organisation key signs them; versions never go back.</summary>
public sealed class OrganisationPolicyTests
{
    [Fact]
    public void A_policy_signed_by_the_organisation_key_verifies_with_every_field_intact()
    {
        var policy = SamplePolicy(version: 3);
        var read = PolicyEncoding.Verify(PolicyEncoding.Sign(policy, Signer(OrgKey)), Organisation, acceptedVersion: 2);
        Assert.Equal(policy with { AllowedProtectors = [] }, read with { AllowedProtectors = [] });
        Assert.Equal(policy.AllowedProtectors.Order(), read.AllowedProtectors);
    }

    [Fact]
    public void Rejects_a_policy_not_signed_by_the_pinned_organisation_key()
    {
        // Claims the pinned organisation but is signed by another key (what a relay forging a policy would send).
        var forged = PolicyEncoding.Sign(SamplePolicy(), Signer(OtherKey));
        Assert.Throws<PolicyNotSignedByOrganisationException>(() => PolicyEncoding.Verify(forged, Organisation));
    }

    [Fact]
    public void Rejects_a_policy_of_another_organisation()
    {
        var theirs = PolicyEncoding.Sign(SamplePolicy(organisation: OtherOrganisation), Signer(OtherKey));
        var e = Assert.Throws<PolicyNotSignedByOrganisationException>(() => PolicyEncoding.Verify(theirs, Organisation));
        Assert.Contains(OtherOrganisation.Id, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_rolled_back_policy_version()
    {
        var old = PolicyEncoding.Sign(SamplePolicy(version: 4), Signer(OrgKey));
        var e = Assert.Throws<PolicyRollbackException>(() => PolicyEncoding.Verify(old, Organisation, acceptedVersion: 5));
        Assert.Equal(5UL, e.Seen);
        Assert.Equal(4UL, e.Offered);
    }

    [Fact]
    public void The_same_version_again_is_not_a_rollback()
    {
        var current = PolicyEncoding.Sign(SamplePolicy(version: 5), Signer(OrgKey));
        Assert.Equal(5UL, PolicyEncoding.Verify(current, Organisation, acceptedVersion: 5).Version);
    }

    [Fact]
    public void A_forged_rollback_is_reported_as_forged_not_as_rollback()
    {
        var forged = PolicyEncoding.Sign(SamplePolicy(version: 1), Signer(OtherKey));
        Assert.Throws<PolicyNotSignedByOrganisationException>(() => PolicyEncoding.Verify(forged, Organisation, acceptedVersion: 9));
    }

    [Fact]
    public void Rejects_malformed_policies()
    {
        var encoded = PolicyEncoding.Sign(SamplePolicy(), Signer(OrgKey));
        Assert.Throws<MalformedInputException>(() => PolicyEncoding.Verify(encoded[..^1], Organisation));
        Assert.Throws<MalformedInputException>(() => PolicyEncoding.Verify(new byte[PolicyEncoding.MaxBytes + 1], Organisation));
        Assert.Throws<ArgumentException>(() => PolicyEncoding.Sign(SamplePolicy() with { MinClientVersion = "2.x" }, Signer(OrgKey)));
        Assert.Throws<ArgumentException>(() => PolicyEncoding.Sign(SamplePolicy() with { MaxKeyAge = TimeSpan.Zero }, Signer(OrgKey)));
    }

    [Fact]
    public void A_posture_statement_is_not_accepted_as_a_policy()
    {
        var posture = Enigm.Trust.Posture.PostureEncoding.Sign(Sample(), Signer(OrgKey));
        Assert.Throws<MalformedInputException>(() => PolicyEncoding.Verify(posture, Organisation));
    }

    [Fact]
    public void An_admin_action_signed_by_the_organisation_verifies()
    {
        var action = Action(AdminActionKind.Restrict);
        var read = AdminActionEncoding.Verify(AdminActionEncoding.Sign(action, Signer(OrgKey)), Organisation);
        Assert.Equal(AdminActionKind.Restrict, read.Kind);
        Assert.Equal(action.Device, read.Device);
        Assert.Equal("lost laptop", read.Reason);
        Assert.Equal("org-device-restrict", read.EventName);
        Assert.Equal(Account + "/" + DeviceId, read.Subject);
    }

    [Fact]
    public void Rejects_an_admin_action_the_relay_made_up()
    {
        var forged = AdminActionEncoding.Sign(Action(AdminActionKind.Revoke), Signer(OtherKey));
        Assert.Throws<AdminActionForgedException>(() => AdminActionEncoding.Verify(forged, Organisation));
    }

    [Fact]
    public void A_policy_change_action_must_carry_the_policy_hash_and_no_device()
    {
        var setPolicy = new AdminAction(Organisation.Id, AdminActionKind.SetPolicy, "", "", "", Now, 2, SHA256.HashData([1]), new byte[32]);
        Assert.Equal("policy/2", AdminActionEncoding.Verify(AdminActionEncoding.Sign(setPolicy, Signer(OrgKey)), Organisation).Subject);
        Assert.Throws<ArgumentException>(() => AdminActionEncoding.Sign(setPolicy with { PolicyHash = [] }, Signer(OrgKey)));
        Assert.Throws<ArgumentException>(() => AdminActionEncoding.Sign(setPolicy with { Device = "dev-1" }, Signer(OrgKey)));
    }

    [Fact]
    public void An_unusable_organisation_key_is_a_typed_error()
    {
        Assert.Throws<OrganisationKeyException>(() => OrganisationKey.FromEncoded([1, 2, 3]));
    }
}
