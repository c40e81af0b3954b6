using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The organisation console's upload and <c>enigm org sign</c>'s input (docs/policy.md, "Offline signing"):
/// <see cref="OrgDocuments.Read"/> of fuzzed text (PEM through the BCL, the CBOR pair, then the policy and action
/// decoders), then, for a signed document, the organisation-key verification the relay runs before it stores anything.
/// Documented rejections: <c>MalformedInputException</c>, the suite exceptions, <c>PolicyNotSignedByOrganisationException</c>,
/// <c>AdminActionForgedException</c> — all <c>EnigmException</c>s. Checked: a document that reads writes back to text
/// that reads to the same bytes, and a verified one is one the fixture's organisation key signed.
/// </summary>
internal static class OrgDocumentTarget
{
    private static readonly Lazy<Fixture> Data = new(Fixture.Create);

    public static FuzzTarget Target { get; } = new(
        "org-document",
        "OrgDocuments.Read (PEM, CBOR pair, policy and action decoders), then organisation-key verification of signed documents; typed rejections only.",
        static () => _ = Data.Value,
        static input =>
        {
            var text = Encoding.UTF8.GetString(input);
            var document = OrgDocuments.Read(text);
            var again = OrgDocuments.Read(OrgDocuments.Write(document));
            FuzzInvariantException.Check(again.Kind == document.Kind && again.Action.AsSpan().SequenceEqual(document.Action)
                && (document.Policy ?? []).AsSpan().SequenceEqual(again.Policy ?? []), "a document did not survive writing and reading back");
            if (!document.IsSigned) return;
            var organisation = Data.Value.Organisation;
            var action = AdminActionEncoding.Verify(document.Action, organisation);
            if (document.IsPolicy) PolicyEncoding.Verify(document.Policy!, organisation);
            FuzzInvariantException.Check(action.Reason == Fixture.Reason, "verified a document the organisation never signed (forgery)");
        },
        static () => Data.Value.Seeds);

    private sealed class Fixture
    {
        public const string Reason = "fuzz fixture";

        public required OrganisationKey Organisation { get; init; }

        public List<FuzzSeed> Seeds { get; } = [];

        public static Fixture Create()
        {
            var algorithm = SignatureAlgorithm.MlDsa65Ed25519;
            var scheme = Fixtures.Providers.Signature(algorithm);
            using var orgKey = scheme.ImportPrivateKey(Fixtures.Pattern(algorithm.PrivateKeySize, 13), PrivateKeyFormat.Seed);
            var organisation = OrganisationKey.FromRaw([.. orgKey.PublicKey]);
            Func<byte[], byte[]> sign = m => scheme.Sign(orgKey, m);
            Func<byte[], byte[]> unsigned = _ => [];
            var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
            var policy = new OrganisationPolicy(organisation.Id, 3, at, "2.1.0", null, [], null, TimeSpan.FromDays(7), false);
            var signedPolicy = PolicyEncoding.Sign(policy, sign);
            var head = new byte[32];
            var setPolicy = new AdminAction(organisation.Id, AdminActionKind.SetPolicy, "", "", Reason, at, 3, System.Security.Cryptography.SHA256.HashData(signedPolicy), head);
            var restrict = new AdminAction(organisation.Id, AdminActionKind.Restrict, new string('a', 64), "dev-fuzz", Reason, at, 0, [], head);
            var fixture = new Fixture { Organisation = organisation };
            fixture.Seeds.AddRange(
            [
                Seed("unsigned-policy", new OrgDocument(OrgDocumentKind.UnsignedPolicy, PolicyEncoding.Sign(policy, unsigned), AdminActionEncoding.Sign(setPolicy with { PolicyHash = new byte[32] }, unsigned))),
                Seed("signed-policy", new OrgDocument(OrgDocumentKind.SignedPolicy, signedPolicy, AdminActionEncoding.Sign(setPolicy, sign))),
                Seed("unsigned-action", new OrgDocument(OrgDocumentKind.UnsignedAction, null, AdminActionEncoding.Sign(restrict, unsigned))),
                Seed("signed-action", new OrgDocument(OrgDocumentKind.SignedAction, null, AdminActionEncoding.Sign(restrict, sign))),
            ]);
            return fixture;
        }

        private static FuzzSeed Seed(string label, OrgDocument document) => new(label, Encoding.UTF8.GetBytes(OrgDocuments.Write(document)));
    }
}
