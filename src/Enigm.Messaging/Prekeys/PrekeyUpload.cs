using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// A published bundle as a relay stores it (PQXDH 3.2 "Publishing keys", Signal-Server's split of signed prekey and
/// one-time key lists): the <see cref="BaseBundle"/> — the same signed part and signature with no one-time keys —
/// and the one-time keys as lists, each handed out at most once. The signature commits to every one-time KEM key
/// (by hash), so a relay cannot substitute one; one-time X25519 keys are unsigned, as in X3DH 3.2.
/// </summary>
public sealed record PrekeyUpload(byte[] BaseBundle, IReadOnlyList<PublicPrekey> OneTimePrekeys, IReadOnlyList<PublicPrekey> OneTimeKemPrekeys)
{
    /// <summary>Splits a bundle from <see cref="DevicePrekeys.PublishBundle"/> into what a relay stores.</summary>
    public static PrekeyUpload FromPublished(ReadOnlyMemory<byte> publishedBundle, SuitePolicy? policy = null)
    {
        var bundle = PrekeyBundle.Decode(publishedBundle, policy);
        return new PrekeyUpload(bundle.WithOnly(null, null).Encode(), bundle.OneTimePrekeys, bundle.OneTimeKemPrekeys);
    }

    /// <summary>
    /// Rebuilds the bundle a relay hands out: its stored <paramref name="baseBundle"/> plus at most one one-time key of
    /// each kind. Structural checks only (sizes, a base that carries no one-time keys, <see cref="MalformedInputException"/>);
    /// the result is untrusted until <see cref="PrekeyBundleVerifier"/> checks it against the device's verified log.
    /// </summary>
    public static byte[] Reassemble(ReadOnlyMemory<byte> baseBundle, PublicPrekey? oneTimePrekey, PublicPrekey? oneTimeKemPrekey, SuitePolicy? policy = null)
    {
        var bundle = PrekeyBundle.Decode(baseBundle, policy);
        if (bundle.OneTimePrekeys.Count != 0 || bundle.OneTimeKemPrekeys.Count != 0)
            throw new MalformedInputException("A stored base bundle carries no one-time prekeys.");
        var withKeys = new PrekeyBundle(bundle.Header, bundle.SignedPart, bundle.Identity, bundle.SignedPrekey, bundle.LastResortKemPrekey,
            bundle.KemCommitments, bundle.IssuedAt, bundle.Signature,
            oneTimePrekey is null ? [] : [oneTimePrekey],
            oneTimeKemPrekey is null ? [] : [oneTimeKemPrekey]);

        // Decoding again applies the per-field size checks to the keys the relay added.
        var encoded = withKeys.Encode();
        PrekeyBundle.Decode(encoded, policy);
        return encoded;
    }
}
