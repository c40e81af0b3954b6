using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Xunit;

namespace Enigm.Messaging.Tests.Support;

/// <summary>
/// Bundles a device signs over contents it chose itself (a faulty or compromised client): the signature verifies,
/// so only the key checks that follow it (<c>PrekeyBundleVerifier.CheckKeys</c>) stand between them and a session.
/// Every key and id is public data; <see cref="PrekeyBundle.Decode"/> checks sizes and structure only, so these
/// bundles get past it and are returned encoded, as a server would hand them out.
/// </summary>
internal static class ResignedBundle
{
    /// <summary>A genuine ML-KEM-768 / ML-KEM-1024 encapsulation key with its first 12-bit coefficient set to 4095 ≥ q = 3329 (FIPS 203 §7.2 modulus check).</summary>
    public static byte[] WithUnreducedCoefficient(byte[] mlKemKey)
    {
        var key = (byte[])mlKemKey.Clone();
        key[0] = 0xff;
        key[1] |= 0x0f;
        return key;
    }

    /// <summary>A genuine X25519 key with its top bit set: a second encoding of the same u (RFC 7748 §5 masks it), so agreement still works.</summary>
    public static byte[] WithTopBitSet(byte[] x25519Key)
    {
        var key = (byte[])x25519Key.Clone();
        key[31] |= 0x80;
        return key;
    }

    /// <summary>A point of order 8 (RFC 7748 §7; <see cref="X25519PublicKeys"/>' list): agreement with it gives all zeros.</summary>
    public static byte[] LowOrderPoint => Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

    /// <summary>
    /// <paramref name="bundle"/> with the parts given replaced, signed again with <paramref name="deviceKey"/>. The
    /// commitments default to SHA-256 of each one-time KEM key of the result, as <see cref="DevicePrekeys"/> makes them.
    /// </summary>
    public static byte[] Sign(
        PrekeyBundle bundle,
        PrivateKey deviceKey,
        Func<IdentityBody, IdentityBody>? identity = null,
        PublicPrekey? signedPrekey = null,
        PublicPrekey? lastResort = null,
        IReadOnlyList<KemCommitment>? commitments = null,
        IReadOnlyList<PublicPrekey>? oneTime = null,
        IReadOnlyList<PublicPrekey>? oneTimeKem = null)
    {
        var body = identity is null ? bundle.Identity : identity(bundle.Identity);
        signedPrekey ??= bundle.SignedPrekey;
        lastResort ??= bundle.LastResortKemPrekey;
        oneTime ??= bundle.OneTimePrekeys;
        oneTimeKem ??= bundle.OneTimeKemPrekeys;
        commitments ??= [.. oneTimeKem.Select(k => new KemCommitment(k.Id, SHA256.HashData(k.Key)))];

        var signedPart = PrekeyBundle.EncodeSignedPart(body, signedPrekey, lastResort, commitments, bundle.IssuedAt);
        var signature = DeviceSignatures.Sign(CryptoProviders.Default, deviceKey, PrekeyBundle.SignedMessageFor(bundle.Header, signedPart));
        return new PrekeyBundle(bundle.Header, signedPart, body, signedPrekey, lastResort, commitments, bundle.IssuedAt, signature, oneTime, oneTimeKem).Encode();
    }
}

/// <summary>
/// One correctly signed bundle per fault <c>PrekeyBundleVerifier.CheckKeys</c> must refuse, with the error it
/// must give and the part of its message that names the check (so that a later check refusing the same bundle
/// for another reason, e.g. the X25519 agreement's all-zero check, does not count).
/// </summary>
internal static class FaultyBundles
{
    public static TheoryData<string> Names() => new()
    {
        "duplicate KEM commitment id",
        "duplicate one-time prekey id",
        "duplicate one-time KEM prekey id",
        "low-order identity key",
        "non-canonical identity key",
        "malformed sealed-sender key",
        "low-order signed prekey",
        "non-canonical signed prekey",
        "low-order one-time prekey",
        "malformed last-resort KEM prekey",
        "malformed one-time KEM prekey",
    };

    /// <summary>A fetched copy (one key of each one-time kind) of <paramref name="published"/> with the named fault, signed by <paramref name="deviceKey"/>.</summary>
    public static (byte[] Encoded, Type Error, string Reason) Make(PrekeyBundle published, PrivateKey deviceKey, string fault)
    {
        var opk = published.OneTimePrekeys[0];
        var pqopk = published.OneTimeKemPrekeys[0];
        var spk = published.SignedPrekey;
        var lastResort = published.LastResortKemPrekey;
        var committed = new KemCommitment(pqopk.Id, SHA256.HashData(pqopk.Key));
        byte[] Sign(Func<IdentityBody, IdentityBody>? identity = null, PublicPrekey? signedPrekey = null, PublicPrekey? lastResortKey = null,
            IReadOnlyList<KemCommitment>? commitments = null, IReadOnlyList<PublicPrekey>? oneTime = null, IReadOnlyList<PublicPrekey>? oneTimeKem = null) =>
            ResignedBundle.Sign(published, deviceKey, identity, signedPrekey, lastResortKey, commitments, oneTime ?? [opk], oneTimeKem ?? [pqopk]);

        var malformed = typeof(MalformedInputException);
        var badKey = typeof(SetupKeyInvalidException);
        return fault switch
        {
            "duplicate KEM commitment id" => (Sign(commitments: [committed, committed]), malformed, $"The one-time KEM prekey commitment id {pqopk.Id} appears twice"),
            "duplicate one-time prekey id" => (Sign(oneTime: [opk, opk]), malformed, $"The one-time prekey id {opk.Id} appears twice"),
            "duplicate one-time KEM prekey id" => (Sign(commitments: [committed], oneTimeKem: [pqopk, pqopk]), malformed, $"The one-time KEM prekey id {pqopk.Id} appears twice"),
            "low-order identity key" => (Sign(identity: b => b with { IdentityKey = ResignedBundle.LowOrderPoint }), badKey, "The identity key is a low-order X25519 point"),
            "non-canonical identity key" => (Sign(identity: b => b with { IdentityKey = ResignedBundle.WithTopBitSet(b.IdentityKey) }), badKey, "The identity key is not a canonical X25519 encoding"),
            "malformed sealed-sender key" => (Sign(identity: b => b with { SealedSenderKey = ResignedBundle.WithUnreducedCoefficient(b.SealedSenderKey) }), badKey, "The sealed-sender key is not a valid X-Wing key"),
            "low-order signed prekey" => (Sign(signedPrekey: spk with { Key = ResignedBundle.LowOrderPoint }), badKey, "The signed prekey is a low-order X25519 point"),
            "non-canonical signed prekey" => (Sign(signedPrekey: spk with { Key = ResignedBundle.WithTopBitSet(spk.Key) }), badKey, "The signed prekey is not a canonical X25519 encoding"),
            "low-order one-time prekey" => (Sign(oneTime: [opk with { Key = ResignedBundle.LowOrderPoint }]), badKey, $"The one-time prekey {opk.Id} is a low-order X25519 point"),
            "malformed last-resort KEM prekey" => (Sign(lastResortKey: lastResort with { Key = ResignedBundle.WithUnreducedCoefficient(lastResort.Key) }), badKey, $"KEM prekey {lastResort.Id} fails the ML-KEM-1024 public-key check"),
            "malformed one-time KEM prekey" => (Sign(oneTimeKem: [pqopk with { Key = ResignedBundle.WithUnreducedCoefficient(pqopk.Key) }]), badKey, $"KEM prekey {pqopk.Id} fails the ML-KEM-1024 public-key check"),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
    }
}
