using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// A device's messaging identity signed by its composite device key:
/// <c>[version, suite, type, body (bstr, <see cref="IdentityBody"/>), signature (bstr)]</c>; the signature covers
/// <c>"enigm/messaging-identity/v1" ‖ binary FormatHeader ‖ body</c>. It travels inside sealed-sender layers,
/// so a recipient learns and checks who sent a message; it is trusted only through the sender's verified
/// device log (<see cref="Verify"/>), never on its own.
/// </summary>
public static class IdentityCertificate
{
    /// <summary>Ceiling of an encoded certificate: body, the largest composite signature, framing.</summary>
    public const int MaxEncodedSize = 8 * 1024;

    private const int MaxSignatureSize = 5 * 1024;

    private static readonly byte[] DomainLabel = "enigm/messaging-identity/v1"u8.ToArray();

    internal static byte[] Issue(Suite suite, IdentityBody body, PrivateKey deviceKey, CryptoProviders providers)
    {
        var header = FormatHeader.For(suite, ObjectType.IdentityCertificate);
        var encodedBody = body.Encode();
        var signature = DeviceSignatures.Sign(providers, deviceKey, MessagingCbor.SignedMessage(DomainLabel, header, encodedBody));
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        header.WriteTo(writer);
        writer.WriteByteString(encodedBody);
        writer.WriteByteString(signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>
    /// Parses a certificate and checks it against <paramref name="senderLog"/>, the verified device log of the
    /// account it claims: the device must be trusted there and its current key must have signed. Typed errors:
    /// <see cref="MalformedInputException"/> (and the suite/version errors), <see cref="Errors.UntrustedDeviceException"/>,
    /// <see cref="Errors.PrekeyBundleInvalidException"/>, <see cref="Errors.SetupKeyInvalidException"/>.
    /// </summary>
    public static VerifiedIdentity Verify(ReadOnlyMemory<byte> encoded, TrustedDeviceSet senderLog, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(senderLog);
        policy ??= SuitePolicy.Default;
        providers ??= CryptoProviders.Default;
        var (header, bodyBytes, body, signature) = Parse(encoded, policy);
        var device = DeviceSignatures.RequireTrusted(senderLog, body);
        DeviceSignatures.Verify(device, MessagingCbor.SignedMessage(DomainLabel, header, bodyBytes), signature, policy, providers, "identity certificate");
        body.CheckKeys(providers);
        return new VerifiedIdentity(policy.Require(header.SuiteId), body.Account, body.DeviceId, device.PublicKey, body.IdentityKey, body.SealedSenderKey);
    }

    /// <summary>The account the certificate claims, read without verifying (to find the device log to verify it with).</summary>
    public static Trust.Accounts.AccountFingerprint ClaimedAccount(ReadOnlyMemory<byte> encoded, SuitePolicy? policy = null) =>
        Parse(encoded, policy ?? SuitePolicy.Default).Body.Account;

    internal static (FormatHeader Header, byte[] BodyBytes, IdentityBody Body, byte[] Signature) Parse(ReadOnlyMemory<byte> encoded, SuitePolicy policy) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 5);
            var header = FormatHeader.Read(reader, ObjectType.IdentityCertificate, policy);
            var bodyBytes = CanonicalCbor.ReadBytes(reader, IdentityBody.MaxEncodedSize);
            var signature = CanonicalCbor.ReadBytes(reader, MaxSignatureSize);
            reader.ReadEndArray();
            return (header, bodyBytes, IdentityBody.Decode(bodyBytes), signature);
        });
}
