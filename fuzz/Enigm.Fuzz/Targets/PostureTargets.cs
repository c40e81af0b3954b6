using System.Security.Cryptography;
using Enigm.Client.Posture;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The issue-14 parsers of untrusted bytes (docs/policy.md): a posture statement as the relay receives it, a policy
/// and an admin action as clients and the relay receive them, and the admin audit log as clients fetch it. Documented
/// rejections: <c>MalformedInputException</c>, the suite exceptions, <c>PostureForgedException</c>,
/// <c>PolicyNotSignedByOrganisationException</c>, <c>AdminActionForgedException</c>,
/// <c>AdminAuditLogInvalidException</c> — all <c>EnigmException</c>s. Checked on accepted input: what was accepted
/// is exactly what the fixture's keys signed (no forgery).
/// </summary>
internal static class PostureTargets
{
    private static readonly Lazy<PostureFixture> Fixture = new(PostureFixture.Create);

    public static FuzzTarget Posture { get; } = new(
        "posture",
        "PostureEncoding.Verify against a fixed device key; typed rejections only, never accepts a statement the device did not sign.",
        static () => _ = Fixture.Value,
        static input =>
        {
            var statement = PostureEncoding.Verify(input.ToArray(), Fixture.Value.Device);
            FuzzInvariantException.Check(statement == Fixture.Value.Statement with { Keys = statement.Keys } && statement.Keys.SequenceEqual(Fixture.Value.Statement.Keys),
                "accepted a posture statement the device never signed (forgery)");
        },
        static () => Fixture.Value.PostureSeeds);

    public static FuzzTarget Policy { get; } = new(
        "org-policy",
        "PolicyEncoding.Verify against a fixed organisation key with accepted version 1; never accepts a policy the organisation did not sign.",
        static () => _ = Fixture.Value,
        static input =>
        {
            var policy = PolicyEncoding.Verify(input.ToArray(), Fixture.Value.Organisation, acceptedVersion: 1);
            FuzzInvariantException.Check(policy.Version == Fixture.Value.Policy.Version && policy.MinClientVersion == Fixture.Value.Policy.MinClientVersion,
                "accepted a policy the organisation never signed (forgery)");
        },
        static () => Fixture.Value.PolicySeeds);

    public static FuzzTarget Action { get; } = new(
        "admin-action",
        "AdminActionEncoding.Verify against a fixed organisation key; never accepts an action the organisation did not sign.",
        static () => _ = Fixture.Value,
        static input =>
        {
            var action = AdminActionEncoding.Verify(input.ToArray(), Fixture.Value.Organisation);
            FuzzInvariantException.Check(action.Kind == AdminActionKind.Restrict && action.Reason == Fixture.Value.Reason,
                "accepted an admin action the organisation never signed (forgery)");
        },
        static () => Fixture.Value.ActionSeeds);

    public static FuzzTarget AuditLog { get; } = new(
        "admin-audit",
        "AdminAuditEncoding.Decode (1 MiB limit) then AdminAuditVerifier.Verify against a fixed organisation key.",
        static () => _ = Fixture.Value,
        static input =>
        {
            var records = AdminAuditEncoding.Decode(input.ToArray(), 1 << 20);
            var actions = AdminAuditVerifier.Verify(records, Fixture.Value.Organisation);
            FuzzInvariantException.Check(actions.All(a => a.Reason == Fixture.Value.Reason), "accepted an admin audit entry the organisation never signed");
        },
        static () => Fixture.Value.AuditSeeds);

    public static IReadOnlyList<FuzzTarget> All => [Posture, Policy, Action, AuditLog];

    private sealed class PostureFixture
    {
        public required TrustedDevice Device { get; init; }

        public required OrganisationKey Organisation { get; init; }

        public required PostureStatement Statement { get; init; }

        public required OrganisationPolicy Policy { get; init; }

        public string Reason => "fuzz fixture";

        public List<FuzzSeed> PostureSeeds { get; } = [];

        public List<FuzzSeed> PolicySeeds { get; } = [];

        public List<FuzzSeed> ActionSeeds { get; } = [];

        public List<FuzzSeed> AuditSeeds { get; } = [];

        public static PostureFixture Create()
        {
            var algorithm = SignatureAlgorithm.MlDsa65Ed25519;
            var scheme = Fixtures.Providers.Signature(algorithm);
            using var deviceKey = scheme.ImportPrivateKey(Fixtures.Pattern(algorithm.PrivateKeySize, 11), PrivateKeyFormat.Seed);
            using var orgKey = scheme.ImportPrivateKey(Fixtures.Pattern(algorithm.PrivateKeySize, 12), PrivateKeyFormat.Seed);
            var account = new string('a', 64);
            var deviceId = DeviceLogWriter.DeviceIdFor(deviceKey);
            var encodedDevice = new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Suite1, algorithm, [.. deviceKey.PublicKey]).Encode();
            var organisation = OrganisationKey.FromRaw([.. orgKey.PublicKey]);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
            var statement = new PostureStatement(account, deviceId, at, "2.1.0", "13.2", KeyProtectorKind.Tpm,
                [new KeyAgeReport("device-signing", TimeSpan.FromDays(3), TimeSpan.FromDays(365), false, false)], "2.1.0", at, AuditLogCheck.Verified, 1, 0);
            var policy = new OrganisationPolicy(organisation.Id, 2, at, "2.0.0", "13.0", [KeyProtectorKind.Tpm], TimeSpan.FromDays(365), TimeSpan.FromDays(7), true);
            var fixture = new PostureFixture
            {
                Device = new TrustedDevice(deviceId, "fuzz", encodedDevice, 0, 0),
                Organisation = organisation,
                Statement = statement,
                Policy = policy,
            };
            Func<byte[], byte[]> device = m => scheme.Sign(deviceKey, m);
            Func<byte[], byte[]> org = m => scheme.Sign(orgKey, m);
            var posture = PostureEncoding.Sign(statement, device);
            fixture.PostureSeeds.AddRange([new("valid", posture), new("truncated", posture[..^7])]);
            var signedPolicy = PolicyEncoding.Sign(policy, org);
            fixture.PolicySeeds.AddRange([new("valid", signedPolicy), new("device-signed", PolicyEncoding.Sign(policy, device))]);

            var records = new List<AdminAuditRecord>();
            Enigm.Keys.Audit.AuditEntry? head = null;
            foreach (var kind in new[] { AdminActionKind.Restrict, AdminActionKind.Restrict })
            {
                var previous = head?.Hash ?? new byte[32];
                var action = AdminActionEncoding.Sign(new AdminAction(organisation.Id, kind, account, deviceId, fixture.Reason, at, 0, [], previous), org);
                var entry = Enigm.Keys.Audit.AuditChainLink.Next(head, at, AdminAction.EventNameOf(kind), account + "/" + deviceId, Convert.ToHexStringLower(SHA256.HashData(action)));
                records.Add(new AdminAuditRecord(entry.Sequence, entry.Time, entry.Event, entry.KeyId, entry.Detail, entry.PreviousHash, entry.Hash, action));
                fixture.ActionSeeds.Add(new("restrict-" + entry.Sequence, action));
                head = entry;
            }

            fixture.AuditSeeds.AddRange([new("two-entries", AdminAuditEncoding.Encode(records)), new("empty", AdminAuditEncoding.Encode([]))]);
            return fixture;
        }
    }
}
