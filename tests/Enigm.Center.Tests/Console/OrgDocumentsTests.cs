using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Center.Tests.Console;

/// <summary>
/// <see cref="OrgDocuments"/>, the parser of the console's upload and <c>enigm org sign</c>'s input (docs/policy.md,
/// "Offline signing"): a round trip, and each kind of bad input refused with <see cref="MalformedInputException"/>
/// before anything is verified or stored.
/// </summary>
public sealed class OrgDocumentsTests
{
    private const string Organisation = "org-0123456789abcdef";

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static readonly OrganisationPolicy Policy = new(Organisation, 4, At, "2.1.0", null, [], null, null, false);

    [Fact]
    public void A_document_reads_back_as_written_with_its_kind_and_bytes()
    {
        var document = UnsignedPolicy(Policy, SetPolicy(4));

        var read = OrgDocuments.Read("pasted with a note first\n" + OrgDocuments.Write(document));

        Assert.Equal(OrgDocumentKind.UnsignedPolicy, read.Kind);
        Assert.Equal(document.Policy, read.Policy);
        Assert.Equal(document.Action, read.Action);
        Assert.Equal("enigm-policy-v4.unsigned.pem", OrgDocuments.FileName(read));
    }

    [Fact]
    public void Text_over_the_size_limit_is_refused_before_it_is_decoded()
    {
        var text = OrgDocuments.Write(UnsignedPolicy(Policy, SetPolicy(4))) + new string(' ', OrgDocuments.MaxChars);

        Assert.Contains("at most", Assert.Throws<MalformedInputException>(() => OrgDocuments.Read(text)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no PEM here")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN ENIGM SIGNED ORG ACTION-----\n!!!!\n-----END ENIGM SIGNED ORG ACTION-----\n")]
    [InlineData("-----BEGIN ENIGM SIGNED ORG ACTION-----\nAAAA\n-----END ENIGM SIGNED ORG ACTION-----\n")]
    [InlineData("-----BEGIN ENIGM SIGNED ORG POLICY-----\ngkA=\n-----END ENIGM SIGNED ORG POLICY-----\n")]
    public void Text_that_is_not_a_document_is_malformed_input(string text) =>
        Assert.Throws<MalformedInputException>(() => OrgDocuments.Read(text));

    [Fact]
    public void A_policy_document_whose_action_is_not_its_set_policy_is_refused()
    {
        var otherVersion = UnsignedPolicy(Policy, SetPolicy(5));
        var deviceAction = UnsignedPolicy(Policy, Restrict());

        Assert.Throws<MalformedInputException>(() => OrgDocuments.Read(OrgDocuments.Write(otherVersion)));
        Assert.Throws<MalformedInputException>(() => OrgDocuments.Read(OrgDocuments.Write(deviceAction)));
    }

    [Fact]
    public void An_action_document_holding_a_policy_change_is_refused()
    {
        var text = OrgDocuments.Write(new OrgDocument(OrgDocumentKind.SignedAction, null, AdminActionEncoding.Sign(SetPolicy(4), _ => [])));

        Assert.Throws<MalformedInputException>(() => OrgDocuments.Read(text));
    }

    private static OrgDocument UnsignedPolicy(OrganisationPolicy policy, AdminAction action) =>
        new(OrgDocumentKind.UnsignedPolicy, PolicyEncoding.Sign(policy, _ => []), AdminActionEncoding.Sign(action, _ => []));

    private static AdminAction SetPolicy(ulong version) =>
        new(Organisation, AdminActionKind.SetPolicy, "", "", "policy change", At, version, new byte[32], RandomNumberGenerator.GetBytes(32));

    private static AdminAction Restrict() =>
        new(Organisation, AdminActionKind.Restrict, new string('c', 64), "dev-1", "test", At, 0, [], new byte[32]);
}
