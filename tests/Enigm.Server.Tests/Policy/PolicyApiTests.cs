using Enigm.Crypto.Providers;
using Enigm.Keys.Audit;
using Enigm.Ota.Eligibility;
using Enigm.Relay;
using Enigm.Relay.Policy;
using Enigm.Server.Policy;
using Enigm.Server.Tests.Http;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Xunit;

namespace Enigm.Server.Tests.Policy;

/// <summary>Posture upload, signed policy and admin actions on a real relay (docs/policy.md, "Relay API").</summary>
public sealed class PolicyApiTests
{
    [Fact]
    public async Task A_restricted_device_cannot_submit_but_still_receives()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        using var bobPhone = relay.Client(await bob.LoginAsync(relay, "phone"));
        await org.InitAsync();
        await RelayAssert.Ok(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 1, minClient: "2.0.0")), PolicyJson.Default.AdminActionResponse);

        var state = await RelayAssert.Ok(await OrgKit.PublishAsync(alicePhone, alice, "phone", OrgKit.Posture(alice, "phone", "1.4.0")), PolicyJson.Default.ComplianceResponse);
        Assert.Equal("restricted", state.State);
        Assert.Equal("client 1.4.0 is below the minimum 2.0.0", Assert.Single(state.Reasons).Text);

        var refused = await RelayAssert.Problem(await OrgKit.SubmitAsync(alicePhone, bob), 403, PolicyProblem.DeviceRestricted);
        Assert.Contains("client 1.4.0 is below the minimum 2.0.0", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await relay.Store.MailboxDepthAsync(bob.Id, "phone")).Messages);

        // Receiving still works: Bob (unmanaged by any restriction) writes to Alice, and her restricted phone fetches it.
        await RelayAssert.Ok(await OrgKit.SubmitAsync(bobPhone, alice, "for alice"), RelayJson.Default.SubmitResponse);
        var mailbox = await RelayAssert.Ok(await alicePhone.GetAsync(RelayRoutes.Mailbox), RelayJson.Default.MailboxResponse);
        Assert.Equal("for alice", System.Text.Encoding.UTF8.GetString(Assert.Single(mailbox.Messages).Body));

        // An update brings the device back into policy: its next posture makes it compliant and it may send again.
        var updated = await RelayAssert.Ok(await OrgKit.PublishAsync(alicePhone, alice, "phone", OrgKit.Posture(alice, "phone", "2.1.0")), PolicyJson.Default.ComplianceResponse);
        Assert.Equal("compliant", updated.State);
        await RelayAssert.Ok(await OrgKit.SubmitAsync(alicePhone, bob), RelayJson.Default.SubmitResponse);
    }

    [Fact]
    public async Task An_admin_restriction_blocks_sending_until_lifted_and_a_revocation_stays()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        await org.InitAsync();

        var restricted = await RelayAssert.Ok(await org.ActAsync(AdminActionKind.Restrict, alice.Id, "phone", "investigation"), PolicyJson.Default.AdminActionResponse);
        Assert.Equal("restricted", restricted.Device!.State);
        await RelayAssert.Problem(await OrgKit.SubmitAsync(alicePhone, bob), 403, PolicyProblem.DeviceRestricted);

        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.LiftRestriction, alice.Id, "phone"), PolicyJson.Default.AdminActionResponse);
        await RelayAssert.Ok(await OrgKit.SubmitAsync(alicePhone, bob), RelayJson.Default.SubmitResponse);

        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.Revoke, alice.Id, "phone", "stolen"), PolicyJson.Default.AdminActionResponse);
        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.LiftRestriction, alice.Id, "phone"), PolicyJson.Default.AdminActionResponse);
        await RelayAssert.Problem(await OrgKit.SubmitAsync(alicePhone, bob), 403, PolicyProblem.DeviceRevokedByOrganisation);

        var listed = await RelayAssert.Ok(await relay.Admin.GetAsync(PolicyRoutes.AdminDevices + "?state=revoked-by-organisation"), PolicyJson.Default.ManagedDeviceArray);
        var device = Assert.Single(listed);
        Assert.Equal((alice.Id, "phone"), (device.Account, device.Device));
        Assert.Equal("revoked by the organisation: stolen", Assert.Single(device.Reasons).Text);
    }

    [Fact]
    public async Task Actions_not_signed_by_the_organisation_key_or_on_an_old_head_are_refused()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var intruder = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        await org.InitAsync();

        await RelayAssert.Problem(await org.ActAsync(AdminActionKind.Restrict, alice.Id, "phone", signer: intruder.Signer), 422, PolicyProblem.NotSignedByOrganisation);
        await RelayAssert.Problem(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 1), signer: intruder.Signer), 422, PolicyProblem.NotSignedByOrganisation);
        var head = await org.HeadAsync();
        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.Restrict, alice.Id, "phone"), PolicyJson.Default.AdminActionResponse);
        await RelayAssert.Problem(await org.ActAsync(AdminActionKind.Revoke, alice.Id, "phone", previous: head), 409, PolicyProblem.AuditHeadMoved);
        await RelayAssert.Problem(await org.ActAsync(AdminActionKind.Revoke, alice.Id, "laptop"), 404, RelayProblem.UnknownDevice);

        // The organisation key is registered once: a second key is refused.
        var second = await relay.Admin.PutAsync(PolicyRoutes.AdminKey, OrgKit.Bytes(intruder.Organisation.Encoded));
        await RelayAssert.Problem(second, 409, PolicyProblem.OrganisationKeySet);
    }

    [Fact]
    public async Task A_policy_version_never_goes_back()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        await org.InitAsync();

        await RelayAssert.Ok(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 3)), PolicyJson.Default.AdminActionResponse);
        await RelayAssert.Problem(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 2)), 409, PolicyProblem.PolicyRollback);
        await RelayAssert.Problem(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 3)), 409, PolicyProblem.PolicyRollback);
        await RelayAssert.Ok(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 4)), PolicyJson.Default.AdminActionResponse);
    }

    [Fact]
    public async Task Forged_stale_oversized_and_malformed_postures_are_refused()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        using var mallory = TestAccount.New();
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));

        // Signed by another key than the one Alice's device log holds for "phone".
        var forged = PostureEncoding.Sign(OrgKit.Posture(alice, "phone", "9.0.0"), OrgKit.Sign(mallory.Key("phone")));
        await RelayAssert.Problem(await alicePhone.PutAsync(PolicyRoutes.Posture, OrgKit.Bytes(forged)), 422, PolicyProblem.PostureForged);

        var now = DateTimeOffset.UtcNow;
        await RelayAssert.Ok(await OrgKit.PublishAsync(alicePhone, alice, "phone", OrgKit.Posture(alice, "phone", "2.0.0", now)), PolicyJson.Default.ComplianceResponse);
        await RelayAssert.Problem(await OrgKit.PublishAsync(alicePhone, alice, "phone", OrgKit.Posture(alice, "phone", "2.0.0", now.AddMinutes(-1))), 409, PolicyProblem.PostureStale);

        await RelayAssert.Problem(await alicePhone.PutAsync(PolicyRoutes.Posture, OrgKit.Bytes(new byte[PostureEncoding.MaxBytes + 1])), 413, RelayProblem.TooLarge);
        await RelayAssert.Problem(await alicePhone.PutAsync(PolicyRoutes.Posture, OrgKit.Bytes([0x83, 1, 2, 3])), 400, RelayProblem.Malformed);
        await RelayAssert.Problem(await relay.Public.PutAsync(PolicyRoutes.Posture, OrgKit.Bytes(forged)), 401, RelayProblem.Unauthenticated);
    }

    [Fact]
    public async Task The_admin_audit_log_verifies_as_an_Enigm_Keys_audit_chain_with_organisation_signed_actions()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        await org.InitAsync();
        await RelayAssert.Ok(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 1)), PolicyJson.Default.AdminActionResponse);
        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.Restrict, alice.Id, "phone"), PolicyJson.Default.AdminActionResponse);
        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.LiftRestriction, alice.Id, "phone"), PolicyJson.Default.AdminActionResponse);

        var response = await alicePhone.GetAsync(PolicyRoutes.OrganisationAudit);
        var records = AdminAuditEncoding.Decode(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(["org-policy-set", "org-device-restrict", "org-device-lift-restriction"], records.Select(r => r.Event));
        var entries = records.Select(OrgAdminApi.AsEntry).ToList();
        var chain = AuditVerifier.Verify(entries, [], new Dictionary<string, byte[]>(), CryptoProviders.Default);
        Assert.True(chain.Ok, chain.Problem);
        for (var i = 0; i < records.Count; i++)
        {
            var action = AdminActionEncoding.Verify(records[i].Action, org.Organisation);
            Assert.Equal(records[i].PreviousHash, action.PreviousAuditHash);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(records[i].Action)), records[i].Detail);
        }

        // The signed policy and key are there for clients too.
        var policy = PolicyEncoding.Verify(await (await alicePhone.GetAsync(PolicyRoutes.OrganisationPolicy)).Content.ReadAsByteArrayAsync(), org.Organisation);
        Assert.Equal(1UL, policy.Version);
        Assert.Equal(org.Organisation.Encoded, await (await alicePhone.GetAsync(PolicyRoutes.OrganisationKey)).Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_device_reads_the_admin_audit_head_which_every_action_moves_and_none_before_an_organisation()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));

        await RelayAssert.Problem(await alicePhone.GetAsync(PolicyRoutes.OrganisationAuditHead), 404, PolicyProblem.NoOrganisation);
        await RelayAssert.Problem(await relay.Public.GetAsync(PolicyRoutes.OrganisationAuditHead), 401, RelayProblem.Unauthenticated);
        await org.InitAsync();
        var empty = await RelayAssert.Ok(await alicePhone.GetAsync(PolicyRoutes.OrganisationAuditHead), PolicyJson.Default.AuditHeadResponse);
        await RelayAssert.Ok(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 1)), PolicyJson.Default.AdminActionResponse);
        var restricted = await RelayAssert.Ok(await org.ActAsync(AdminActionKind.Restrict, alice.Id, "phone"), PolicyJson.Default.AdminActionResponse);
        var head = await RelayAssert.Ok(await alicePhone.GetAsync(PolicyRoutes.OrganisationAuditHead), PolicyJson.Default.AuditHeadResponse);

        Assert.Equal(0, empty.Sequence);
        Assert.Equal(new string('0', 64), empty.Hash);
        Assert.Equal(restricted.Sequence, head.Sequence);
        Assert.Equal(restricted.Hash, head.Hash);
    }

    [Fact]
    public async Task A_restricted_device_is_not_eligible_for_a_release_that_requires_a_compliant_one()
    {
        await using var relay = await RelayFixture.StartAsync();
        using var org = new OrgKit(relay);
        using var alice = await TestAccount.CreateAsync(relay);
        using var alicePhone = relay.Client(await alice.LoginAsync(relay, "phone"));
        await org.InitAsync();
        await RelayAssert.Ok(await org.PutPolicyAsync(OrgKit.Policy(org.Organisation, 1, minClient: "2.0.0")), PolicyJson.Default.AdminActionResponse);
        var rules = new ReleaseRules { Version = "2.2.0", Channel = "stable", RequireTrust = "compliant" };

        await OrgKit.PublishAsync(alicePhone, alice, "phone", OrgKit.Posture(alice, "phone", "2.1.0"));
        var compliant = Profile(await ComplianceStateAsync(alicePhone));
        Assert.True(EligibilityEvaluator.Evaluate(compliant, "enigm-2.2.0", rules).Eligible);

        await RelayAssert.Ok(await org.ActAsync(AdminActionKind.Restrict, alice.Id, "phone", "investigation"), PolicyJson.Default.AdminActionResponse);
        var restricted = Profile(await ComplianceStateAsync(alicePhone));
        var decision = EligibilityEvaluator.Evaluate(restricted, "enigm-2.2.0", rules);
        Assert.False(decision.Eligible);
        Assert.Contains("release requires a compliant device, device is restricted", decision.FailedReasons);

        static DeviceProfile Profile(string state) => new()
        {
            Id = "phone",
            Model = "m1",
            Channel = "stable",
            InstalledVersion = "2.1.0",
            OsVersion = "13.2",
            ComplianceState = state,
        };
    }

    private static async Task<string> ComplianceStateAsync(HttpClient device) =>
        (await RelayAssert.Ok(await device.GetAsync(PolicyRoutes.Compliance), PolicyJson.Default.ComplianceResponse)).State;
}
