using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// A prekey bundle whose signature was checked with the device key its verified device log holds now, and whose
/// keys passed the canonical checks (PQXDH 3.3: "Alice verifies the prekey signatures"). What PQXDH's
/// initiator uses: the identity, SPK, and the one-time keys to use if any (the first of each list).
/// <para>
/// Only <see cref="PrekeyBundleVerifier"/> makes one (the constructor is internal and there is no <c>with</c>): a
/// caller cannot call a bundle verified that skipped the signature or key checks.
/// </para>
/// </summary>
public sealed class VerifiedPrekeyBundle
{
    internal VerifiedPrekeyBundle(
        VerifiedIdentity identity,
        PublicPrekey signedPrekey,
        PublicPrekey lastResortKemPrekey,
        IReadOnlyList<PublicPrekey> oneTimePrekeys,
        IReadOnlyList<PublicPrekey> oneTimeKemPrekeys,
        DateTimeOffset issuedAt)
    {
        Identity = identity;
        SignedPrekey = signedPrekey;
        LastResortKemPrekey = lastResortKemPrekey;
        OneTimePrekeys = oneTimePrekeys;
        OneTimeKemPrekeys = oneTimeKemPrekeys;
        IssuedAt = issuedAt;
    }

    public VerifiedIdentity Identity { get; }
    public PublicPrekey SignedPrekey { get; }
    public PublicPrekey LastResortKemPrekey { get; }
    public IReadOnlyList<PublicPrekey> OneTimePrekeys { get; }
    public IReadOnlyList<PublicPrekey> OneTimeKemPrekeys { get; }
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The KEM key PQXDH encapsulates to: a one-time key when the bundle has one, else the last-resort key (PQXDH 3.3).</summary>
    public (PublicPrekey Key, bool IsLastResort) KemPrekeyToUse =>
        OneTimeKemPrekeys.Count > 0 ? (OneTimeKemPrekeys[0], false) : (LastResortKemPrekey, true);

    public PublicPrekey? OneTimePrekeyToUse => OneTimePrekeys.Count > 0 ? OneTimePrekeys[0] : null;
}

/// <summary>
/// Verifies a <see cref="PrekeyBundle"/> against the verified device log of the account it claims. Order: the
/// device must be trusted by the log (<see cref="UntrustedDeviceException"/>); the one composite signature must
/// verify (<see cref="PrekeyBundleInvalidException"/>); every one-time KEM key must be one the signature committed
/// to (<see cref="PrekeyBundleInvalidException"/>); every key must be canonical and usable
/// (<see cref="SetupKeyInvalidException"/>); ids are unique (<see cref="MalformedInputException"/>).
/// </summary>
public static class PrekeyBundleVerifier
{
    /// <param name="signatures">Optional: remembers verified bundle signatures (Setup.BundleSignatureCache).</param>
    public static VerifiedPrekeyBundle Verify(ReadOnlyMemory<byte> encoded, TrustedDeviceSet deviceLog, SuitePolicy? policy = null, CryptoProviders? providers = null, Setup.BundleSignatureCache? signatures = null)
    {
        policy ??= SuitePolicy.Default;
        return Verify(PrekeyBundle.Decode(encoded, policy), deviceLog, policy, providers, signatures);
    }

    /// <param name="signatures">Optional: remembers verified bundle signatures (Setup.BundleSignatureCache).</param>
    public static VerifiedPrekeyBundle Verify(PrekeyBundle bundle, TrustedDeviceSet deviceLog, SuitePolicy? policy = null, CryptoProviders? providers = null, Setup.BundleSignatureCache? signatures = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(deviceLog);
        policy ??= SuitePolicy.Default;
        providers ??= CryptoProviders.Default;
        var suite = policy.Require(bundle.Header.SuiteId);

        var device = DeviceSignatures.RequireTrusted(deviceLog, bundle.Identity);
        if (signatures is null)
        {
            VerifySignature(bundle, device, policy, providers);
        }
        else if (!signatures.Knows(device.PublicKey, bundle.SignedMessage, bundle.Signature, policy, out var entry))
        {
            VerifySignature(bundle, device, policy, providers);
            signatures.Remember(entry, policy);
        }

        return CheckKeys(bundle, device, suite, providers);
    }

    /// <summary>The one composite signature over the bundle's signed part (<see cref="PrekeyBundleInvalidException"/> when it fails).</summary>
    internal static void VerifySignature(PrekeyBundle bundle, TrustedDevice device, SuitePolicy policy, CryptoProviders providers) =>
        DeviceSignatures.Verify(device, bundle.SignedMessage, bundle.Signature, policy, providers, "prekey bundle");

    /// <summary>
    /// Every check but the signature's: the one-time KEM keys against the signed commitments, unique ids, canonical
    /// and usable keys. Only its result's use depends on the signature having verified, which callers ensure.
    /// </summary>
    internal static VerifiedPrekeyBundle CheckKeys(PrekeyBundle bundle, TrustedDevice device, Suite suite, CryptoProviders providers)
    {
        RequireUniqueIds(bundle.KemCommitments.Select(c => c.Id), "one-time KEM prekey commitment");
        RequireUniqueIds(bundle.OneTimePrekeys.Select(k => k.Id), "one-time prekey");
        RequireUniqueIds(bundle.OneTimeKemPrekeys.Select(k => k.Id), "one-time KEM prekey");
        foreach (var key in bundle.OneTimeKemPrekeys)
        {
            var commitment = bundle.KemCommitments.FirstOrDefault(c => c.Id == key.Id)
                ?? throw new PrekeyBundleInvalidException($"One-time KEM prekey {key.Id} is not covered by the bundle signature.");
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(key.Key), commitment.KeyHash))
                throw new PrekeyBundleInvalidException($"One-time KEM prekey {key.Id} is not the key the bundle signature covers.");
        }

        bundle.Identity.CheckKeys(providers);
        X25519PublicKeys.Check(bundle.SignedPrekey.Key, "signed prekey");
        foreach (var key in bundle.OneTimePrekeys) X25519PublicKeys.Check(key.Key, $"one-time prekey {key.Id}");
        var kem = providers.Kem(suite.SessionKem);
        foreach (var key in bundle.OneTimeKemPrekeys.Prepend(bundle.LastResortKemPrekey))
        {
            try
            {
                kem.ValidatePublicKey(key.Key);
            }
            catch (InvalidKeyException e)
            {
                throw new SetupKeyInvalidException($"KEM prekey {key.Id} fails the {suite.SessionKem.Name} public-key check.", e);
            }
        }

        var identity = new VerifiedIdentity(suite, bundle.Identity.Account, bundle.Identity.DeviceId, device.PublicKey, bundle.Identity.IdentityKey, bundle.Identity.SealedSenderKey);
        return new VerifiedPrekeyBundle(identity, bundle.SignedPrekey, bundle.LastResortKemPrekey, bundle.OneTimePrekeys, bundle.OneTimeKemPrekeys, bundle.IssuedAt);
    }

    private static void RequireUniqueIds(IEnumerable<uint> ids, string what)
    {
        var seen = new HashSet<uint>();
        foreach (var id in ids)
        {
            if (!seen.Add(id)) throw new MalformedInputException($"The {what} id {id} appears twice.");
        }
    }
}
