using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Setup;

/// <summary>
/// What Alice holds after PQXDH: the initial message to send, SK and AD for the ratchet, and Bob's signed prekey,
/// which the Double Ratchet takes as Bob's initial ratchet public key (Double Ratchet spec 7.1, "Integration with
/// X3DH"): <c>RatchetSession.CreateInitiator(SharedSecret, AssociatedData, ResponderRatchetPublicKey)</c>.
/// </summary>
public sealed class PqxdhInitiation(byte[] initialMessage, SecretBytes sharedSecret, byte[] associatedData, byte[] responderRatchetPublicKey, VerifiedIdentity responder) : IDisposable
{
    public byte[] InitialMessage { get; } = initialMessage;

    /// <summary>SK, 32 bytes; zeroed on dispose.</summary>
    public SecretBytes SharedSecret { get; } = sharedSecret;

    public byte[] AssociatedData { get; } = associatedData;

    /// <summary>SPK_B, the responder's initial ratchet key.</summary>
    public byte[] ResponderRatchetPublicKey { get; } = responderRatchetPublicKey;

    public VerifiedIdentity Responder { get; } = responder;

    public void Dispose() => SharedSecret.Dispose();
}

/// <summary>
/// Alice's side of PQXDH (signal.org/docs/specifications/pqxdh, revision 2, section 3.3 "Sending the initial
/// message"), over a bundle already verified against Bob's device log.
/// </summary>
public static class PqxdhInitiator
{
    /// <summary>
    /// Verifies Bob's fetched bundle against his verified device log, as <see cref="PrekeyBundleVerifier.Verify(ReadOnlyMemory{byte}, TrustedDeviceSet, SuitePolicy?, CryptoProviders?, BundleSignatureCache?)"/>
    /// does with the same errors, and starts PQXDH from it (<see cref="Start(MessagingIdentity, PrekeyBundle, TrustedDeviceSet, SuitePolicy?, CryptoProviders?, BundleSignatureCache?)"/>).
    /// </summary>
    public static PqxdhInitiation Start(MessagingIdentity self, ReadOnlyMemory<byte> fetchedBundle, TrustedDeviceSet deviceLog, SuitePolicy? policy = null, CryptoProviders? providers = null, BundleSignatureCache? signatures = null)
    {
        policy ??= SuitePolicy.Default;
        return Start(self, PrekeyBundle.Decode(fetchedBundle, policy), deviceLog, policy, providers, signatures);
    }

    /// <summary>
    /// First contact: verifies <paramref name="bundle"/> and starts PQXDH from it, with the bundle's composite
    /// signature checked on a second core while this thread runs the agreements and the ML-KEM-1024 encapsulation
    /// (<see cref="SecondCore"/>), so that the latency is the longer of the two (≈ 0.3 ms each) rather than their sum.
    /// PQXDH 3.3: "Alice verifies the prekey signatures and aborts the protocol if verification fails". Computing
    /// X25519 and ML-KEM on public keys not yet verified is safe because nothing computed leaves this method before
    /// the signature has verified: on a refusal the initiation, whose SK is the only secret left (the DH outputs, the
    /// ephemeral key and the KEM secret are disposed inside <see cref="Start(MessagingIdentity, VerifiedPrekeyBundle, CryptoProviders?)"/>),
    /// is disposed, so zeroed, and the signature's <see cref="PrekeyBundleInvalidException"/> is thrown, taking
    /// precedence over any error the unverified keys gave. A signature that <paramref name="signatures"/> already
    /// holds is not verified again (the bundle's other checks always run); one that verifies here is remembered.
    /// </summary>
    public static PqxdhInitiation Start(MessagingIdentity self, PrekeyBundle bundle, TrustedDeviceSet deviceLog, SuitePolicy? policy = null, CryptoProviders? providers = null, BundleSignatureCache? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(deviceLog);
        var verifyPolicy = policy ?? SuitePolicy.Default;
        var verifyProviders = providers ?? CryptoProviders.Default;
        var suite = verifyPolicy.Require(bundle.Header.SuiteId);
        var device = DeviceSignatures.RequireTrusted(deviceLog, bundle.Identity);
        (UInt128, UInt128) entry = default;
        if (signatures is not null && signatures.Knows(device.PublicKey, bundle.SignedMessage, bundle.Signature, verifyPolicy, out entry))
            return Start(self, PrekeyBundleVerifier.CheckKeys(bundle, device, suite, verifyProviders), verifyProviders);

        var initiation = SecondCore.Run(
            () => PrekeyBundleVerifier.VerifySignature(bundle, device, verifyPolicy, verifyProviders),
            () => Start(self, PrekeyBundleVerifier.CheckKeys(bundle, device, suite, verifyProviders), verifyProviders));
        signatures?.Remember(entry, verifyPolicy);
        return initiation;
    }

    public static PqxdhInitiation Start(MessagingIdentity self, VerifiedPrekeyBundle bundle, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(bundle);
        providers ??= CryptoProviders.Default;
        var suite = bundle.Identity.Suite;
        var dh = providers.KeyAgreement(suite.SessionKeyAgreement);
        var (kemPrekey, lastResort) = bundle.KemPrekeyToUse;
        var oneTime = bundle.OneTimePrekeyToUse;

        // 3.3: the bundle's signatures were verified by PrekeyBundleVerifier; its keys are canonical.
        using var ephemeral = dh.GenerateKey();
        using var dh1 = Agree(dh, self.IdentityKey, bundle.SignedPrekey.Key, "signed prekey");
        using var dh2 = Agree(dh, ephemeral, bundle.Identity.IdentityKey, "identity key");
        using var dh3 = Agree(dh, ephemeral, bundle.SignedPrekey.Key, "signed prekey");
        using var dh4 = oneTime is null ? null : Agree(dh, ephemeral, oneTime.Key, "one-time prekey");
        using var encapsulation = Encapsulate(providers.Kem(suite.SessionKem), kemPrekey);

        var sk = PqxdhKeySchedule.DeriveSharedSecret(suite, providers, self.Identity, bundle.Identity, kemPrekey.Key, dh1, dh2, dh3, dh4, encapsulation.SharedSecret);
        var message = new PqxdhInitialMessage(suite, self.Identity.IdentityKey, ephemeral.PublicKey, bundle.SignedPrekey.Id, oneTime?.Id, kemPrekey.Id, lastResort, encapsulation.Ciphertext);
        var ad = PqxdhKeySchedule.AssociatedData(self.Identity, bundle.Identity);
        return new PqxdhInitiation(message.Encode(), sk, ad, bundle.SignedPrekey.Key, bundle.Identity);
    }

    /// <summary>DH with a typed error for a low-order peer key (the provider's RFC 7748 6.1 all-zero check).</summary>
    internal static SecretBytes Agree(IKeyAgreement dh, PrivateKey own, byte[] peer, string what)
    {
        try
        {
            return dh.Agree(own, peer);
        }
        catch (InvalidKeyException e)
        {
            throw new SetupKeyInvalidException($"The {what} cannot be used for X25519: {e.Message}", e);
        }
    }

    private static KemEncapsulation Encapsulate(IKem kem, PublicPrekey key)
    {
        try
        {
            return kem.Encapsulate(key.Key);
        }
        catch (InvalidKeyException e)
        {
            throw new SetupKeyInvalidException($"KEM prekey {key.Id} cannot be used: {e.Message}", e);
        }
    }
}
