using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;

namespace Enigm.Trust.Tests.Posture;

/// <summary>Keys and sample statements for the posture and policy tests (composite keys are slow to make: shared).</summary>
internal static class PostureTestKit
{
    public const string Account = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static readonly DateTimeOffset Now = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<PrivateKey> DeviceKeyValue = new(NewKey);
    private static readonly Lazy<PrivateKey> OtherKeyValue = new(NewKey);
    private static readonly Lazy<PrivateKey> OrgKeyValue = new(NewKey);

    public static PrivateKey DeviceKey => DeviceKeyValue.Value;

    public static PrivateKey OtherKey => OtherKeyValue.Value;

    public static PrivateKey OrgKey => OrgKeyValue.Value;

    public static OrganisationKey Organisation => OrganisationKey.FromRaw([.. OrgKey.PublicKey]);

    public static OrganisationKey OtherOrganisation => OrganisationKey.FromRaw([.. OtherKey.PublicKey]);

    public static string DeviceId => DeviceLogWriter.DeviceIdFor(DeviceKey);

    public static TrustedDevice Device => TrustedFor(DeviceKey);

    public static TrustedDevice TrustedFor(PrivateKey key) =>
        new(DeviceLogWriter.DeviceIdFor(key), "phone", Encode(key), 0, 0);

    public static Func<byte[], byte[]> Signer(PrivateKey key) =>
        message => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).Sign(key, message);

    public static PostureStatement Sample(string? device = null) => new(
        Account, device ?? DeviceId, Now, "2.1.0", "13.2", KeyProtectorKind.Tpm,
        [new KeyAgeReport("device-signing", TimeSpan.FromDays(30), TimeSpan.FromDays(365), false, false)],
        "2.1.0", Now.AddDays(-1), AuditLogCheck.Verified, 0, 0);

    public static OrganisationPolicy SamplePolicy(ulong version = 1, OrganisationKey? organisation = null) => new(
        (organisation ?? Organisation).Id, version, Now, "2.0.0", "13.0", [KeyProtectorKind.Tpm, KeyProtectorKind.Passphrase],
        TimeSpan.FromDays(365), TimeSpan.FromDays(7), RequireContactVerification: true);

    public static AdminAction Action(AdminActionKind kind, string reason = "lost laptop") => new(
        Organisation.Id, kind, Account, DeviceId, reason, Now, 0, [], new byte[32]);

    private static PrivateKey NewKey() => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();

    private static byte[] Encode(PrivateKey key) =>
        new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Suite1, SignatureAlgorithm.MlDsa65Ed25519, [.. key.PublicKey]).Encode();
}
