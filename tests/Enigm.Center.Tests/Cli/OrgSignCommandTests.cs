using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Enigm.Center.Tests.Support;
using Enigm.Cli.Output;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Center.Tests.Cli;

/// <summary>
/// <c>enigm org sign --in UNSIGNED --out SIGNED</c> (docs/policy.md, "Offline signing"): signs what the console prepared
/// with the organisation key store alone — the admin URL here points at a closed port, so any relay contact would fail —
/// and refuses a document for another organisation, one already signed, and text that is not a document.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class OrgSignCommandTests(CenterWorld world)
{
    private static readonly Uri NoRelay = new("http://127.0.0.1:9");

    private static readonly DateTimeOffset Issued = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    [Fact]
    public void Help_names_in_out_and_json()
    {
        var (code, output, _) = Organisation("help").Try("org", "sign", "--help");

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var option in new[] { "--in", "--out", "--org-home", "--json" }) Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsigned_policy_is_signed_offline_exactly_as_prepared_and_verifies_under_the_organisation_key()
    {
        var organisation = Organisation("policy");
        var key = OrganisationKey.FromEncoded(organisation.PublicKey);
        var head = RandomNumberGenerator.GetBytes(32);
        var policy = new OrganisationPolicy(key.Id, 7, Issued, "3.1.0", "13.0", [], TimeSpan.FromDays(365), null, true);
        var (input, output) = Files("policy");
        File.WriteAllText(input, UnsignedPolicy(policy, head, key.SuiteId));

        var json = organisation.Sign(input, output);

        var signed = OrgDocuments.Read(File.ReadAllText(output));
        Assert.Equal(OrgDocumentKind.SignedPolicy, signed.Kind);
        var verified = PolicyEncoding.Verify(signed.Policy!, key);
        Assert.Equal((key.Id, 7UL, Issued, "3.1.0", "13.0", TimeSpan.FromDays(365), (TimeSpan?)null, true),
            (verified.Organisation, verified.Version, verified.IssuedAt, verified.MinClientVersion, verified.MinOsVersion, verified.MaxKeyAge, verified.MaxSinceOtaCheck, verified.RequireContactVerification));
        var action = AdminActionEncoding.Verify(signed.Action, key);
        Assert.Equal((AdminActionKind.SetPolicy, 7UL, "raise the minimum", Issued), (action.Kind, action.PolicyVersion, action.Reason, action.IssuedAt));
        Assert.Equal(SHA256.HashData(signed.Policy!), action.PolicyHash);
        Assert.Equal(head, action.PreviousAuditHash);
        Assert.Equal(7UL, json["version"]!.GetValue<ulong>());
        Assert.Equal(key.Id, json["organisation"]!.GetValue<string>());
    }

    [Fact]
    public void An_unsigned_device_action_is_signed_offline()
    {
        var organisation = Organisation("action");
        var key = OrganisationKey.FromEncoded(organisation.PublicKey);
        var revoke = new AdminAction(key.Id, AdminActionKind.Revoke, new string('b', 64), "lost-phone", "lost on a train", Issued, 0, [], new byte[32]);
        var (input, output) = Files("action");
        File.WriteAllText(input, OrgDocuments.Write(new OrgDocument(OrgDocumentKind.UnsignedAction, null, AdminActionEncoding.Sign(revoke, _ => [], key.SuiteId))));

        var json = organisation.Sign(input, output);

        var signed = OrgDocuments.Read(File.ReadAllText(output));
        Assert.Equal(OrgDocumentKind.SignedAction, signed.Kind);
        var action = AdminActionEncoding.Verify(signed.Action, key);
        Assert.Equal((revoke.Kind, revoke.Account, revoke.Device, revoke.Reason, revoke.IssuedAt), (action.Kind, action.Account, action.Device, action.Reason, action.IssuedAt));
        Assert.Equal(new byte[32], action.PreviousAuditHash);
        Assert.Equal("org-device-revoke", json["kind"]!.GetValue<string>());
    }

    [Fact]
    public void A_document_for_another_organisation_is_refused_with_exit_122_and_nothing_is_written()
    {
        var organisation = Organisation("mine");
        var other = OrganisationKey.FromEncoded(Organisation("theirs").PublicKey);
        var (input, output) = Files("other");
        File.WriteAllText(input, UnsignedPolicy(new OrganisationPolicy(other.Id, 2, Issued, "1.0.0", null, [], null, null, false), new byte[32], other.SuiteId));

        var (code, _, error) = organisation.Try("org", "sign", "--in", input, "--out", output);

        Assert.Equal(ExitCodes.OrganisationKey, code);
        Assert.Contains(other.Id, error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_signed_document_or_an_unwritable_out_is_a_usage_error_and_text_that_is_no_document_is_malformed_input()
    {
        var organisation = Organisation("refusals");
        var key = OrganisationKey.FromEncoded(organisation.PublicKey);
        var (input, output) = Files("refusals");
        File.WriteAllText(input, UnsignedPolicy(new OrganisationPolicy(key.Id, 2, Issued, "1.0.0", null, [], null, null, false), new byte[32], key.SuiteId));
        organisation.Sign(input, output);
        var garbage = input + ".garbage";
        File.WriteAllText(garbage, "-----BEGIN ENIGM UNSIGNED ORG POLICY-----\nAAAA\n-----END ENIGM UNSIGNED ORG POLICY-----\n");
        var again = output + ".again";

        var (signedCode, _, signedError) = organisation.Try("org", "sign", "--in", output, "--out", again);
        var (garbageCode, _, _) = organisation.Try("org", "sign", "--in", garbage, "--out", again);
        var (plainCode, _, _) = organisation.Try("org", "sign", "--in", Path.Combine(world.Devices.Folder, "missing.pem"), "--out", again);
        var (unwritableCode, _, unwritableError) = organisation.Try("org", "sign", "--in", input, "--out", Path.Combine(input + ".missing-folder", "signed.pem"));

        Assert.Equal(ExitCodes.Usage, signedCode);
        Assert.Contains("already signed", signedError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.MalformedInput, garbageCode);
        Assert.Equal(ExitCodes.MalformedInput, plainCode);
        Assert.Equal(ExitCodes.Usage, unwritableCode);
        Assert.Contains("cannot write --out", unwritableError, StringComparison.Ordinal);
        Assert.False(File.Exists(again));
    }

    /// <summary>The console's unsigned policy document: envelopes with empty signatures, the set-policy hash left for the signer.</summary>
    internal static string UnsignedPolicy(OrganisationPolicy policy, byte[] head, ushort suite)
    {
        var action = new AdminAction(policy.Organisation, AdminActionKind.SetPolicy, "", "", "raise the minimum", Issued, policy.Version, new byte[32], head);
        return OrgDocuments.Write(new OrgDocument(OrgDocumentKind.UnsignedPolicy, PolicyEncoding.Sign(policy, _ => [], suite), AdminActionEncoding.Sign(action, _ => [], suite)));
    }

    private OrganisationCli Organisation(string name) =>
        OrganisationCli.InitUnregistered(Path.Combine(world.Devices.Folder, "org-sign-" + name + "-" + Guid.NewGuid().ToString("N")[..8]), NoRelay);

    private (string In, string Out) Files(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(world.Devices.Folder, "org-sign-files-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        return (Path.Combine(folder, name + ".unsigned.pem"), Path.Combine(folder, name + ".signed.pem"));
    }
}
