using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Xunit;
using static Enigm.Trust.Tests.Posture.PostureTestKit;

namespace Enigm.Trust.Tests.Policy;

/// <summary>The evaluation rules of docs/policy.md ("Evaluation"), one behaviour per test.</summary>
public sealed class ComplianceEvaluatorTests
{
    private static ComplianceDecision Evaluate(PostureStatement? posture, OrganisationPolicy? policy = null, params AdminAction[] actions) =>
        ComplianceEvaluator.Evaluate(posture, policy ?? SamplePolicy(), actions, Now);

    private static string Codes(ComplianceDecision d) => string.Join(",", d.Reasons.Select(r => r.Code));

    [Fact]
    public void A_device_meeting_every_rule_is_compliant_and_may_send()
    {
        var d = Evaluate(Sample());
        Assert.Equal(ComplianceState.Compliant, d.State);
        Assert.Empty(d.Reasons);
        Assert.True(d.MaySend);
    }

    [Fact]
    public void An_old_client_is_restricted_with_the_reason()
    {
        var d = Evaluate(Sample() with { ClientVersion = "1.9.9" });
        Assert.Equal(ComplianceState.Restricted, d.State);
        Assert.False(d.MaySend);
        var reason = Assert.Single(d.Reasons);
        Assert.Equal("client-version", reason.Code);
        Assert.Equal("client 1.9.9 is below the minimum 2.0.0", reason.Text);
    }

    [Theory]
    [InlineData("12.9", ComplianceState.Restricted)]
    [InlineData("13", ComplianceState.Compliant)]
    [InlineData("13.0.0", ComplianceState.Compliant)]
    public void The_OS_minimum_compares_dotted_versions_numerically(string os, ComplianceState expected) =>
        Assert.Equal(expected, Evaluate(Sample() with { OsVersion = os }).State);

    [Fact]
    public void A_protector_outside_the_allowed_set_is_restricted()
    {
        var d = Evaluate(Sample() with { KeyProtector = KeyProtectorKind.OsKeyStore });
        Assert.Equal("key-protector", Codes(d));
        Assert.Equal(ComplianceState.Restricted, d.State);
    }

    [Fact]
    public void A_key_older_than_the_maximum_or_past_its_cryptoperiod_is_restricted()
    {
        var old = Sample() with { Keys = [new("device-signing", TimeSpan.FromDays(366), TimeSpan.FromDays(730), true, false)] };
        Assert.Equal("key-age,keys-due", Codes(Evaluate(old)));
        var overdue = Sample() with { Keys = [new("device-signing", TimeSpan.FromDays(100), TimeSpan.FromDays(90), true, true)] };
        Assert.Equal("keys-overdue", Codes(Evaluate(overdue)));
        Assert.Equal(ComplianceState.Restricted, Evaluate(overdue).State);
    }

    [Fact]
    public void A_key_due_for_rotation_is_only_a_warning()
    {
        var due = Sample() with { Keys = [new("device-signing", TimeSpan.FromDays(350), TimeSpan.FromDays(365), true, false)] };
        var d = Evaluate(due);
        Assert.Equal(ComplianceState.Warning, d.State);
        Assert.True(d.MaySend);
    }

    [Fact]
    public void A_stale_or_missing_update_check_is_restricted()
    {
        Assert.Equal("ota-check", Codes(Evaluate(Sample() with { LastOtaCheck = Now.AddDays(-8) })));
        Assert.Equal("ota-check", Codes(Evaluate(Sample() with { LastOtaCheck = null })));
        Assert.Equal(ComplianceState.Compliant, Evaluate(Sample() with { LastOtaCheck = Now.AddDays(-6) }).State);
    }

    [Fact]
    public void A_failed_audit_log_restricts_and_an_unchecked_one_warns()
    {
        Assert.Equal(ComplianceState.Restricted, Evaluate(Sample() with { AuditLog = AuditLogCheck.Failed }).State);
        Assert.Equal(ComplianceState.Warning, Evaluate(Sample() with { AuditLog = AuditLogCheck.NotChecked }).State);
    }

    [Fact]
    public void Contacts_count_only_when_the_policy_requires_verification()
    {
        var posture = Sample() with { ChangedContacts = 1, UnverifiedContacts = 2 };
        Assert.Equal("contacts-changed,contacts-unverified", Codes(Evaluate(posture)));
        Assert.Equal(ComplianceState.Restricted, Evaluate(posture).State);
        Assert.Equal(ComplianceState.Compliant, Evaluate(posture, SamplePolicy() with { RequireContactVerification = false }).State);
    }

    [Fact]
    public void No_posture_under_a_policy_is_a_warning_and_no_policy_checks_nothing()
    {
        Assert.Equal("no-posture", Codes(Evaluate(null)));
        Assert.Equal(ComplianceState.Compliant, ComplianceEvaluator.Evaluate(Sample() with { ClientVersion = "0.1" }, null, [], Now).State);
    }

    [Fact]
    public void An_admin_restriction_holds_until_lifted_and_a_revocation_is_final()
    {
        var restrict = Action(AdminActionKind.Restrict, "investigation");
        var lift = Action(AdminActionKind.LiftRestriction);
        var revoke = Action(AdminActionKind.Revoke, "stolen");

        var restricted = Evaluate(Sample(), null, restrict);
        Assert.Equal(ComplianceState.Restricted, restricted.State);
        Assert.Equal("restricted by the organisation: investigation", Assert.Single(restricted.Reasons).Text);
        Assert.Equal(ComplianceState.Compliant, Evaluate(Sample(), null, restrict, lift).State);
        Assert.Equal(ComplianceState.RevokedByOrganisation, Evaluate(Sample(), null, revoke, lift).State);
        Assert.False(Evaluate(Sample(), null, revoke).MaySend);
    }

    [Fact]
    public void Lifting_an_admin_restriction_does_not_lift_a_policy_restriction()
    {
        var d = Evaluate(Sample() with { ClientVersion = "1.0" }, null, Action(AdminActionKind.Restrict), Action(AdminActionKind.LiftRestriction));
        Assert.Equal(ComplianceState.Restricted, d.State);
        Assert.Equal("client-version", Codes(d));
    }

    [Theory]
    [InlineData("compliant", ComplianceState.Compliant)]
    [InlineData("restricted", ComplianceState.Restricted)]
    [InlineData("revoked-by-organisation", ComplianceState.RevokedByOrganisation)]
    public void State_names_round_trip(string name, ComplianceState state)
    {
        Assert.Equal(name, ComplianceDecision.NameOf(state));
        Assert.Equal(state, ComplianceDecision.Parse(name));
    }
}
