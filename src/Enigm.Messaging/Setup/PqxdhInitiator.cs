using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;

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
