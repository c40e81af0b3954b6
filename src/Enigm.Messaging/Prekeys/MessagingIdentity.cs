using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// This device's messaging identity: the X25519 identity key (PQXDH's IK), the X-Wing key sealed-sender
/// layers are encrypted to, and the certificate in which the device's composite key vouches for both. Holds
/// the private keys as handles and disposes them with itself; persisting them is the client's job (Enigm.Keys).
/// </summary>
public sealed class MessagingIdentity : IDisposable
{
    private MessagingIdentity(VerifiedIdentity identity, byte[] certificate, PrivateKey identityKey, PrivateKey sealedSenderKey)
    {
        Identity = identity;
        Certificate = certificate;
        IdentityKey = identityKey;
        SealedSenderKey = sealedSenderKey;
    }

    /// <summary>This device's identity as others see it once verified.</summary>
    public VerifiedIdentity Identity { get; }

    /// <summary>The encoded <see cref="IdentityCertificate"/>.</summary>
    public byte[] Certificate { get; }

    public PrivateKey IdentityKey { get; }

    public PrivateKey SealedSenderKey { get; }

    /// <summary>
    /// Makes a new identity for device <paramref name="deviceId"/> of the account whose verified log is
    /// <paramref name="ownLog"/>; <paramref name="deviceKey"/> must be the key the log holds for the device now.
    /// </summary>
    public static MessagingIdentity Create(TrustedDeviceSet ownLog, string deviceId, PrivateKey deviceKey, SuitePolicy? policy = null, CryptoProviders? providers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(ownLog);
        ArgumentNullException.ThrowIfNull(deviceKey);
        policy ??= SuitePolicy.Default;
        providers ??= CryptoProviders.Default;
        var suite = policy.Preferred;
        var identityKey = providers.KeyAgreement(suite.SessionKeyAgreement).GenerateKey();
        var sealedSenderKey = providers.Kem(suite.HybridKem).GenerateKeyPair();
        try
        {
            var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds((time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds());
            var body = new IdentityBody(ownLog.Account, deviceId, identityKey.PublicKey, sealedSenderKey.PublicKey, issuedAt);
            var device = DeviceSignatures.RequireTrusted(ownLog, body);
            RequireSameKey(device, deviceKey, policy);
            var certificate = IdentityCertificate.Issue(suite, body, deviceKey, providers);
            var identity = IdentityCertificate.Verify(certificate, ownLog, policy, providers);
            return new MessagingIdentity(identity, certificate, identityKey, sealedSenderKey);
        }
        catch
        {
            identityKey.Dispose();
            sealedSenderKey.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reopens a persisted identity: the certificate is verified against the own log again and must name the
    /// public halves of the two private keys given (which this identity then owns).
    /// </summary>
    public static MessagingIdentity Restore(byte[] certificate, PrivateKey identityKey, PrivateKey sealedSenderKey, TrustedDeviceSet ownLog, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(sealedSenderKey);
        var identity = IdentityCertificate.Verify(certificate, ownLog, policy, providers);
        if (identityKey.Algorithm != KeyAgreementAlgorithm.X25519 || !CryptographicOperations.FixedTimeEquals(identityKey.PublicKey, identity.IdentityKey))
            throw new PrekeyBundleInvalidException("The identity key does not match the certificate.");
        if (sealedSenderKey.Algorithm != KemAlgorithm.XWing || !CryptographicOperations.FixedTimeEquals(sealedSenderKey.PublicKey, identity.SealedSenderKey))
            throw new PrekeyBundleInvalidException("The sealed-sender key does not match the certificate.");
        return new MessagingIdentity(identity, certificate, identityKey, sealedSenderKey);
    }

    internal IdentityBody Body(TimeProvider time) =>
        new(Identity.Account, Identity.DeviceId, Identity.IdentityKey, Identity.SealedSenderKey,
            DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()));

    internal static void RequireSameKey(TrustedDevice device, PrivateKey deviceKey, SuitePolicy policy)
    {
        var held = Crypto.Encoding.CryptoObject.Decode(device.PublicKey, Crypto.Encoding.ObjectType.PublicKey, policy);
        if (held.Algorithm != deviceKey.Algorithm || !CryptographicOperations.FixedTimeEquals(held.Value, deviceKey.PublicKey))
            throw new ArgumentException($"The device key given is not the current key of device {device.Id} in its log.", nameof(deviceKey));
    }

    public void Dispose()
    {
        IdentityKey.Dispose();
        SealedSenderKey.Dispose();
    }

    public override string ToString() => $"MessagingIdentity({Identity}, redacted)";
}
