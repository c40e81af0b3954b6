using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using KdfAlgorithm = Enigm.Crypto.Algorithms.KdfAlgorithm;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// RFC 5869 HKDF from libsodium (crypto_kdf_hkdf_sha256_* / _sha512_*), called directly: extract into a
/// stack PRK that is zeroed afterwards, then expand. Until this change it went through NSec, whose
/// <c>DeriveBytes</c> checks and copies cost more than the two or three HMAC blocks of the ratchet's
/// short derivations (docs/benchmarks.md, "HMAC and HKDF on the ratchet's hot path").
/// </summary>
internal sealed class SodiumHkdf : IKdf
{
    public SodiumHkdf(KdfAlgorithm algorithm)
    {
        if (algorithm != KdfAlgorithm.HkdfSha256 && algorithm != KdfAlgorithm.HkdfSha512)
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not an HKDF this provider implements");
        SodiumLibrary.EnsureAvailable();
        Algorithm = algorithm;
    }

    public KdfAlgorithm Algorithm { get; }

    public string Provider => ProviderNames.Libsodium;

    public void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        SymmetricInputChecks.KdfOutput(Algorithm, output.Length);
        Span<byte> prk = stackalloc byte[Algorithm.HashSize];
        try
        {
            // RFC 5869 2.2: an empty salt is HashLen zeros; HMAC pads a short key with zeros (RFC 2104 §2),
            // so libsodium's extract with salt_len 0 gives the same PRK (KdfTests checks it).
            var sha256 = Algorithm == KdfAlgorithm.HkdfSha256;
            var extracted = sha256
                ? SodiumLibrary.crypto_kdf_hkdf_sha256_extract(prk, salt, (nuint)salt.Length, inputKeyMaterial, (nuint)inputKeyMaterial.Length)
                : SodiumLibrary.crypto_kdf_hkdf_sha512_extract(prk, salt, (nuint)salt.Length, inputKeyMaterial, (nuint)inputKeyMaterial.Length);
            var expanded = extracted != 0 ? extracted : sha256
                ? ExpandSha256(output, info, prk)
                : SodiumLibrary.crypto_kdf_hkdf_sha512_expand(output, (nuint)output.Length, info, (nuint)info.Length, prk);
            if (expanded != 0)
            {
                CryptographicOperations.ZeroMemory(output);
                throw new MalformedInputException($"{Algorithm.Name} (libsodium) rejected its inputs.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>
    /// RFC 5869 2.3 HKDF-Expand, T(i) = HMAC(PRK, T(i−1) ‖ info ‖ i), as libsodium's
    /// crypto_kdf_hkdf_sha256_expand computes it (the same HMAC calls in the same order), except that the
    /// PRK's HMAC state (its pads absorbed, two compression blocks) is computed once and copied for each
    /// T(i) instead of recomputed: the §6 message key's 44 bytes take eleven blocks instead of thirteen.
    /// The Wycheproof and RFC 5869 vectors and the cross-provider tests check it.
    /// </summary>
    private static int ExpandSha256(Span<byte> output, ReadOnlySpan<byte> info, ReadOnlySpan<byte> prk)
    {
        const int stateSize = 208; // sizeof(crypto_auth_hmacsha256_state), checked by SodiumHmac.IsSupported
        const int hashSize = 32;
        if (!SodiumHmac.IsSupported)
            return SodiumLibrary.crypto_kdf_hkdf_sha256_expand(output, (nuint)output.Length, info, (nuint)info.Length, prk);
        Span<byte> keyed = stackalloc byte[stateSize];
        Span<byte> state = stackalloc byte[stateSize];
        Span<byte> block = stackalloc byte[hashSize];
        try
        {
            SodiumLibrary.crypto_auth_hmacsha256_init(keyed, prk, (nuint)prk.Length);
            var counter = (byte)0;
            for (var offset = 0; offset < output.Length; offset += hashSize)
            {
                keyed.CopyTo(state);
                if (offset != 0) SodiumLibrary.crypto_auth_hmacsha256_update(state, block, hashSize);
                SodiumLibrary.crypto_auth_hmacsha256_update(state, info, (ulong)info.Length);
                counter++;
                SodiumLibrary.crypto_auth_hmacsha256_update(state, new ReadOnlySpan<byte>(in counter), 1);
                SodiumLibrary.crypto_auth_hmacsha256_final(state, block);
                block[..Math.Min(hashSize, output.Length - offset)].CopyTo(output[offset..]);
            }

            return 0;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyed);
            CryptographicOperations.ZeroMemory(state);
            CryptographicOperations.ZeroMemory(block);
        }
    }
}
