using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.Setup;

/// <summary>
/// PQXDH's KDF and associated data, as both sides compute them.
/// <para>
/// KDF (PQXDH 2.2): HKDF with the suite's hash (suite 1: SHA-512), input key material
/// <c>F ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4] ‖ SS</c> with F = 32 bytes of 0xFF (X25519), a salt of hash-length zero bytes,
/// and a 32-byte output SK.
/// </para>
/// <para>
/// info: the application string <c>"Enigm_PQXDH_X25519_SHA-512_ML-KEM-1024"</c> (PQXDH 2.1: ASCII, ≥ 8 bytes),
/// then 0x00, the suite id (u16 BE), <c>EncodeEC(IK_A) ‖ EncodeEC(IK_B) ‖ EncodeKEM(PQPK)</c> and the two identity
/// bindings. Binding PQPK and both identity keys into the KDF is the recommendation of Bhargavan, Jacomme,
/// Kiefer and Schmidt, "Formal verification of the PQXDH post-quantum key agreement protocol for end-to-end
/// secure messaging" (USENIX Security 2024), taken up as the revision-3 proposal: SK then depends on the exact KEM
/// key encapsulated to, so a KEM that is not binding to its public key cannot let an attacker re-encapsulate the
/// same SS under another key, and on the identities, whatever the AEAD does with AD. Every field after the
/// string has a fixed length, so the concatenation is unambiguous.
/// </para>
/// <para>
/// AD (PQXDH 3.3): <c>EncodeEC(IK_A) ‖ EncodeEC(IK_B)</c>, followed, as 3.3 allows ("additional information ...
/// certificates"), by Alice's and Bob's <see cref="VerifiedIdentity.Binding"/>: Enigm's identity keys are vouched
/// for by composite device keys rather than being XEdDSA signing keys themselves, so the whole chain is bound
/// explicitly. 130 bytes.
/// </para>
/// </summary>
internal static class PqxdhKeySchedule
{
    public const int SharedSecretSize = 32;

    /// <summary>PQXDH 2.5 EncodeKEM's type byte for ML-KEM-1024 (Enigm's choice; it keeps KEM and curve encodings apart).</summary>
    public const byte EncodeKemType = 0x0A;

    public const int AssociatedDataSize = 2 * X25519PublicKeys.EncodedSize + 2 * 32;

    private const int CurveDiscontinuitySize = 32;

    public static string InfoString(Suite suite) =>
        $"Enigm_PQXDH_{suite.SessionKeyAgreement.Name}_{suite.Kdf.Name.Replace("HKDF-", "", StringComparison.Ordinal)}_{suite.SessionKem.Name}";

    public static byte[] AssociatedData(VerifiedIdentity initiator, VerifiedIdentity responder)
    {
        var ad = new byte[AssociatedDataSize];
        X25519PublicKeys.EncodeEc(initiator.IdentityKey, ad.AsSpan(0, X25519PublicKeys.EncodedSize));
        X25519PublicKeys.EncodeEc(responder.IdentityKey, ad.AsSpan(X25519PublicKeys.EncodedSize, X25519PublicKeys.EncodedSize));
        initiator.Binding.CopyTo(ad, 2 * X25519PublicKeys.EncodedSize);
        responder.Binding.CopyTo(ad, (2 * X25519PublicKeys.EncodedSize) + 32);
        return ad;
    }

    /// <summary>SK = KDF(DH1 ‖ DH2 ‖ DH3 [‖ DH4] ‖ SS) with the bound info; every secret input is the caller's to dispose.</summary>
    public static SecretBytes DeriveSharedSecret(
        Suite suite, CryptoProviders providers, VerifiedIdentity initiator, VerifiedIdentity responder, ReadOnlySpan<byte> kemPrekey,
        SecretBytes dh1, SecretBytes dh2, SecretBytes dh3, SecretBytes? dh4, SecretBytes kemSecret)
    {
        var ikmLength = CurveDiscontinuitySize + dh1.Length + dh2.Length + dh3.Length + (dh4?.Length ?? 0) + kemSecret.Length;
        using var ikm = new SecretBytes(ikmLength);
        var span = ikm.WritableSpan;
        span[..CurveDiscontinuitySize].Fill(0xFF);
        var offset = CurveDiscontinuitySize;
        SecretBytes[] parts = dh4 is null ? [dh1, dh2, dh3, kemSecret] : [dh1, dh2, dh3, dh4, kemSecret];
        foreach (var part in parts)
        {
            part.Span.CopyTo(span[offset..]);
            offset += part.Length;
        }

        var info = Info(suite, initiator, responder, kemPrekey);
        Span<byte> salt = stackalloc byte[suite.Kdf.HashSize];
        salt.Clear();
        var sk = new SecretBytes(SharedSecretSize);
        providers.Kdf(suite.Kdf).DeriveKey(ikm.Span, salt, info, sk.WritableSpan);
        return sk;
    }

    private static byte[] Info(Suite suite, VerifiedIdentity initiator, VerifiedIdentity responder, ReadOnlySpan<byte> kemPrekey)
    {
        var label = Encoding.ASCII.GetBytes(InfoString(suite));
        var info = new byte[label.Length + 1 + 2 + (2 * X25519PublicKeys.EncodedSize) + 1 + kemPrekey.Length + 64];
        var span = info.AsSpan();
        label.CopyTo(span);
        var offset = label.Length + 1;
        BinaryPrimitives.WriteUInt16BigEndian(span[offset..], suite.Id);
        offset += 2;
        X25519PublicKeys.EncodeEc(initiator.IdentityKey, span[offset..]);
        offset += X25519PublicKeys.EncodedSize;
        X25519PublicKeys.EncodeEc(responder.IdentityKey, span[offset..]);
        offset += X25519PublicKeys.EncodedSize;
        span[offset++] = EncodeKemType;
        kemPrekey.CopyTo(span[offset..]);
        offset += kemPrekey.Length;
        initiator.Binding.CopyTo(span[offset..]);
        responder.Binding.CopyTo(span[(offset + 32)..]);
        return info;
    }

    /// <summary>What identifies one use of the last-resort KEM prekey, for replay refusal: SHA-256(EK_A ‖ CT).</summary>
    public static byte[] LastResortUseHash(PqxdhInitialMessage message)
    {
        var input = new byte[message.EphemeralKey.Length + message.KemCiphertext.Length];
        message.EphemeralKey.CopyTo(input, 0);
        message.KemCiphertext.CopyTo(input, message.EphemeralKey.Length);
        return SHA256.HashData(input);
    }
}
