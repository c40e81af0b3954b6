using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Envelope;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.SealedSender;

/// <summary>A sealed-sender layer opened by its recipient: the sender, verified against its device log, and the content.</summary>
public sealed record OpenedSealedMessage(VerifiedIdentity Sender, byte ContentType, byte[] Content);

/// <summary>
/// Post-quantum sealed sender. Signal's sealed sender (v1 and v2) hides the sender with X25519 only; here the
/// sender's certificate and the content are encrypted to the recipient device's X-Wing key (ML-KEM-768 + X25519,
/// draft-connolly-cfrg-xwing-kem), so recording the traffic today and breaking X25519 later reveals neither.
/// <para>
/// Construction (an HPKE-style KEM/DEM in base mode, RFC 9180 5.1 shape, with the suite's primitives):
/// <c>(ct, ss) = X-Wing.Encaps(pk_R)</c>;
/// <c>key ‖ nonce = HKDF(suite KDF, ikm = ss, salt = "", info = "enigm/sealed-sender/v1/key" ‖ header ‖ binding_R, 44)</c>;
/// <c>AD = "enigm/sealed-sender/v1/ad" ‖ header ‖ ct ‖ binding_R</c>; the AEAD is the suite's (AES-256-GCM in suite 1).
/// The X-Wing ciphertext and the recipient's identity binding are in AD, so a layer cannot be re-targeted or its
/// KEM part swapped; the key is used once, so the derived nonce never repeats under it.
/// </para>
/// <para>
/// The layer authenticates its content to whoever holds ss, not the sender: the sender is authenticated by the
/// certificate (checked against the sender's device log here) together with the session inside, whose AD binds the
/// sender's identity (PQXDH AD, ratchet AD). A caller must check that the session the content belongs to is the
/// one with <see cref="OpenedSealedMessage.Sender"/>.
/// </para>
/// </summary>
public static class SealedSenderCipher
{
    private const int NonceSize = 12;

    private static readonly byte[] KeyLabel = "enigm/sealed-sender/v1/key"u8.ToArray();
    private static readonly byte[] AdLabel = "enigm/sealed-sender/v1/ad"u8.ToArray();

    /// <summary>Seals <paramref name="content"/> from <paramref name="sender"/> to one recipient device; returns the encoded layer.</summary>
    public static byte[] Seal(MessagingIdentity sender, VerifiedIdentity recipient, byte contentType, ReadOnlySpan<byte> content, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(recipient);
        providers ??= CryptoProviders.Default;
        if (content.Length > SealedSenderLayer.MaxContentSize) throw new MessageTooLargeException(content.Length, SealedSenderLayer.MaxContentSize);
        var suite = recipient.Suite;
        using var encapsulation = providers.Kem(suite.HybridKem).Encapsulate(recipient.SealedSenderKey);
        var plaintext = SealedSenderLayer.EncodePlaintext(sender.Certificate, contentType, content);
        try
        {
            var ciphertext = new byte[plaintext.Length + suite.Aead.TagSize];
            using var keys = DeriveKeys(suite, providers, encapsulation.SharedSecret, recipient.Binding);
            var ad = AssociatedData(suite, encapsulation.Ciphertext, recipient.Binding);
            providers.Aead(suite.Aead).Encrypt(keys.Span[..32], keys.Span[32..], plaintext, ad, ciphertext);
            return new SealedSenderLayer(suite, encapsulation.Ciphertext, ciphertext).Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Seals to a device and wraps the layer in the envelope a relay stores for it.</summary>
    public static byte[] SealToEnvelope(MessagingIdentity sender, VerifiedIdentity recipient, byte contentType, ReadOnlySpan<byte> content, TimeProvider? time = null, CryptoProviders? providers = null)
    {
        var layer = Seal(sender, recipient, contentType, content, providers);
        return new MessageEnvelope(recipient.Suite, recipient.Account, recipient.DeviceId, (time ?? TimeProvider.System).GetUtcNow(), EnvelopeContent.SealedSender, layer).Encode();
    }

    /// <summary>
    /// Opens a layer addressed to <paramref name="recipient"/>. The sender's certificate is verified against the
    /// device log <paramref name="verifiedLogs"/> returns for the account it claims (null: no verified log, the
    /// sender is not trusted). Typed errors: <see cref="MalformedInputException"/> (and suite/version errors),
    /// <see cref="SealedSenderException"/> (another device's layer, or tampered), <see cref="UntrustedDeviceException"/>,
    /// <see cref="PrekeyBundleInvalidException"/> (a forged certificate). With <paramref name="certificates"/>, a
    /// certificate already verified against the same log head is not verified again.
    /// </summary>
    public static OpenedSealedMessage Open(MessagingIdentity recipient, ReadOnlyMemory<byte> layer, Func<AccountFingerprint, TrustedDeviceSet?> verifiedLogs, SuitePolicy? policy = null, CryptoProviders? providers = null, VerifiedCertificateCache? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(verifiedLogs);
        policy ??= SuitePolicy.Default;
        providers ??= CryptoProviders.Default;
        var parsed = SealedSenderLayer.Decode(layer, policy);
        var suite = parsed.Suite;
        if (recipient.SealedSenderKey.Algorithm != suite.HybridKem)
            throw new SealedSenderException($"This device's sealed-sender key is {recipient.SealedSenderKey.Algorithm.Name}; the layer uses {suite.HybridKem.Name}.");

        var plaintext = new byte[parsed.Ciphertext.Length - suite.Aead.TagSize];
        try
        {
            using (var sharedSecret = providers.Kem(suite.HybridKem).Decapsulate(recipient.SealedSenderKey, parsed.KemCiphertext))
            using (var keys = DeriveKeys(suite, providers, sharedSecret, recipient.Identity.Binding))
            {
                var ad = AssociatedData(suite, parsed.KemCiphertext, recipient.Identity.Binding);
                providers.Aead(suite.Aead).Decrypt(keys.Span[..32], keys.Span[32..], parsed.Ciphertext, ad, plaintext);
            }

            var (certificate, contentType, content) = SealedSenderLayer.DecodePlaintext(plaintext);
            var account = IdentityCertificate.ClaimedAccount(certificate, policy);
            var senderLog = verifiedLogs(account)
                ?? throw new UntrustedDeviceException(account.Hex, "(sealed sender)", "no verified device log is known for its account");
            var sender = certificates is null
                ? IdentityCertificate.Verify(certificate, senderLog, policy, providers)
                : certificates.Verify(certificate, senderLog, policy, providers);
            return new OpenedSealedMessage(sender, contentType, content);
        }
        catch (DecryptionFailedException e)
        {
            throw new SealedSenderException("The sealed-sender layer does not open with this device's key: addressed to another device, or tampered.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Opens an envelope: it must be addressed to this device and carry a sealed-sender layer.</summary>
    public static OpenedSealedMessage OpenEnvelope(MessagingIdentity recipient, ReadOnlyMemory<byte> envelope, Func<AccountFingerprint, TrustedDeviceSet?> verifiedLogs, SuitePolicy? policy = null, CryptoProviders? providers = null, VerifiedCertificateCache? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var parsed = MessageEnvelope.Decode(envelope, policy);
        if (!parsed.RecipientAccount.Equals(recipient.Identity.Account) || parsed.RecipientDeviceId != recipient.Identity.DeviceId)
            throw new SealedSenderException($"The envelope is addressed to device {parsed.RecipientDeviceId} of {parsed.RecipientAccount.Hex}, not to this device.");
        if (parsed.Content != EnvelopeContent.SealedSender)
            throw new MalformedInputException($"The envelope carries {parsed.Content}, not a sealed-sender layer.");
        return Open(recipient, parsed.Payload, verifiedLogs, policy, providers, certificates);
    }

    private static SecretBytes DeriveKeys(Suite suite, CryptoProviders providers, SecretBytes sharedSecret, byte[] recipientBinding)
    {
        var info = new byte[KeyLabel.Length + Crypto.Encoding.FormatHeader.BinarySize + recipientBinding.Length];
        KeyLabel.CopyTo(info, 0);
        Header(suite).CopyTo(info, KeyLabel.Length);
        recipientBinding.CopyTo(info, KeyLabel.Length + Crypto.Encoding.FormatHeader.BinarySize);
        var keys = new SecretBytes(suite.Aead.KeySize + NonceSize);
        providers.Kdf(suite.Kdf).DeriveKey(sharedSecret.Span, [], info, keys.WritableSpan);
        return keys;
    }

    private static byte[] AssociatedData(Suite suite, byte[] kemCiphertext, byte[] recipientBinding)
    {
        var header = Header(suite);
        var ad = new byte[AdLabel.Length + header.Length + kemCiphertext.Length + recipientBinding.Length];
        AdLabel.CopyTo(ad, 0);
        header.CopyTo(ad, AdLabel.Length);
        kemCiphertext.CopyTo(ad, AdLabel.Length + header.Length);
        recipientBinding.CopyTo(ad, AdLabel.Length + header.Length + kemCiphertext.Length);
        return ad;
    }

    private static byte[] Header(Suite suite) => Crypto.Encoding.FormatHeader.For(suite, Crypto.Encoding.ObjectType.SealedSenderLayer).ToBytes();
}
