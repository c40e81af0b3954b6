using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Setup;

/// <summary>
/// What Bob holds after PQXDH: SK and AD, and a copy of his signed prekey's private key, which the Double Ratchet
/// takes as his initial ratchet key pair (Double Ratchet spec 7.1):
/// <c>RatchetSession.CreateResponder(SharedSecret, AssociatedData, ResponderRatchetPrivateKey)</c>. The copy is
/// this object's until the caller takes it; the store's own handle is never handed out.
/// </summary>
public sealed class PqxdhResponse(SecretBytes sharedSecret, byte[] associatedData, PrivateKey responderRatchetPrivateKey, VerifiedIdentity initiator, PqxdhInitialMessage message) : IDisposable
{
    public SecretBytes SharedSecret { get; } = sharedSecret;

    public byte[] AssociatedData { get; } = associatedData;

    public PrivateKey ResponderRatchetPrivateKey { get; } = responderRatchetPrivateKey;

    public VerifiedIdentity Initiator { get; } = initiator;

    public PqxdhInitialMessage Message { get; } = message;

    public void Dispose()
    {
        SharedSecret.Dispose();
        ResponderRatchetPrivateKey.Dispose();
    }
}

/// <summary>
/// Bob's side of PQXDH (revision 2, section 3.4 "Receiving the initial message"). The initiator's identity comes
/// from her certificate, verified against her device log (it travels in the sealed-sender layer); the identity
/// key in the message must be that one. One-time prekeys are taken from the store atomically and deleted after
/// use, so a second initial message naming the same one is refused (<see cref="PrekeyUnavailableException"/>);
/// a message that used only the last-resort KEM key is accepted once (<see cref="SetupReplayException"/>).
/// </summary>
public static class PqxdhResponder
{
    public static PqxdhResponse Accept(MessagingIdentity self, IPrekeyStore store, VerifiedIdentity initiator, ReadOnlyMemory<byte> initialMessage, SuitePolicy? policy = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(initiator);
        providers ??= CryptoProviders.Default;
        var message = PqxdhInitialMessage.Decode(initialMessage, policy);
        var suite = message.Suite;

        if (!CryptographicOperations.FixedTimeEquals(message.IdentityKey, initiator.IdentityKey))
            throw new IdentityMismatchException($"The initial message's identity key is not the one device {initiator.DeviceId}'s certificate names.");
        X25519PublicKeys.Check(message.EphemeralKey, "ephemeral key");

        var signedPrekey = store.Get(PrekeyKind.SignedPrekey, message.SignedPrekeyId)
            ?? throw new PrekeyUnavailableException("signed prekey", message.SignedPrekeyId, "it was never issued or has been retired");
        var lastResort = message.KemPrekeyIsLastResort
            ? store.Get(PrekeyKind.LastResortKemPrekey, message.KemPrekeyId)
                ?? throw new PrekeyUnavailableException("last-resort KEM prekey", message.KemPrekeyId, "it was never issued or has been retired")
            : null;

        // 3.4: one-time prekeys are deleted once used. Taking them is atomic, so a replayed or concurrent
        // second message naming them finds nothing; if the message turns out unusable they are put back.
        var taken = new List<PrekeyRecord>(2);
        try
        {
            var oneTime = message.OneTimePrekeyId is { } opkId
                ? TakeOneTime(store, taken, PrekeyKind.OneTimePrekey, opkId, "one-time prekey")
                : null;
            var kemPrekey = lastResort ?? TakeOneTime(store, taken, PrekeyKind.OneTimeKemPrekey, message.KemPrekeyId, "one-time KEM prekey");

            var dh = providers.KeyAgreement(suite.SessionKeyAgreement);
            var kem = providers.Kem(suite.SessionKem);
            // The ML-KEM-1024 decapsulation (≈ 160 µs) on a second core while this thread runs the four agreements
            // (≈ 145 µs): independent inputs, the same outputs; both finish before either is used, and if one throws
            // the other's secrets are disposed (SecondCore). docs/benchmarks.md, "Fifth pass".
            var (decapsulated, agreed) = SecondCore.Run(
                () => kem.Decapsulate(kemPrekey.Key, message.KemCiphertext),
                () => PqxdhAgreements.Responder(dh, self.IdentityKey, signedPrekey.Key, oneTime?.Key, message.IdentityKey, message.EphemeralKey));
            using var kemSecret = decapsulated;
            using var agreements = agreed;

            if (lastResort is not null && !store.TryRecordLastResortUse(lastResort.Id, PqxdhKeySchedule.LastResortUseHash(message)))
                throw new SetupReplayException($"This initial message was already accepted with last-resort KEM prekey {lastResort.Id}.");

            var sk = PqxdhKeySchedule.DeriveSharedSecret(suite, providers, initiator, self.Identity, kemPrekey.Key.PublicKey, agreements.Dh1, agreements.Dh2, agreements.Dh3, agreements.Dh4, kemSecret);
            var ad = PqxdhKeySchedule.AssociatedData(initiator, self.Identity);
            var ratchetKey = CopyOf(signedPrekey.Key);
            foreach (var record in taken) record.Key.Dispose();
            taken.Clear();
            return new PqxdhResponse(sk, ad, ratchetKey, initiator, message);
        }
        finally
        {
            // Only reached with records left when the message failed before SK: the keys were not used up.
            if (taken.Count > 0) store.Add(taken);
        }
    }

    private static PrekeyRecord TakeOneTime(IPrekeyStore store, List<PrekeyRecord> taken, PrekeyKind kind, uint id, string what)
    {
        var record = store.Take(kind, id)
            ?? throw new PrekeyUnavailableException(what, id, "it was already used, or never issued");
        taken.Add(record);
        return record;
    }

    /// <summary>
    /// The session's own copy of the signed prekey: its material and the public key it already has, so the copy
    /// costs no second X25519 base-point multiplication (≈ 19 µs) as an import would.
    /// </summary>
    private static PrivateKey CopyOf(PrivateKey key) =>
        new(key.Algorithm, key.ExportPrivateMaterial(), key.Format, key.PublicKey.ToArray());
}
