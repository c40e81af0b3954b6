using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Hybrid;

namespace Enigm.Crypto.Providers;

/// <summary>
/// The input checks of FIPS 203 section 7, done once here so that every ML-KEM provider applies them
/// whether or not its library does. They are validations on public encodings, not new cryptography.
/// </summary>
internal static class MlKemInputChecks
{
    /// <summary>FIPS 203 2.3: the modulus q.</summary>
    private const int Q = 3329;

    /// <summary>FIPS 203 table 2: k is 3 for ML-KEM-768 and 4 for ML-KEM-1024.</summary>
    public static int K(KemAlgorithm algorithm) =>
        algorithm == KemAlgorithm.MlKem768 ? 3
        : algorithm == KemAlgorithm.MlKem1024 ? 4
        : throw new AlgorithmUnavailableException($"{algorithm.Name} is not an ML-KEM parameter set.");

    /// <summary>
    /// FIPS 203 7.2 (encapsulation key check): type check (length 384k + 32) and modulus check
    /// (ByteEncode12(ByteDecode12(ek[0:384k])) == ek[0:384k], i.e. every 12-bit coefficient is below q).
    /// </summary>
    public static void CheckEncapsulationKey(KemAlgorithm algorithm, ReadOnlySpan<byte> ek)
    {
        if (ek.Length != algorithm.PublicKeySize)
            throw new InvalidKeyException($"{algorithm.Name} encapsulation key must be {algorithm.PublicKeySize} bytes, not {ek.Length}.");
        if (!CoefficientsAreReduced(ek[..(384 * K(algorithm))]))
            throw new InvalidKeyException($"{algorithm.Name} encapsulation key fails the FIPS 203 7.2 modulus check.");
    }

    /// <summary>
    /// FIPS 203 7.3 (decapsulation key check): type check (length 768k + 96) and hash check
    /// (H(dk[384k : 768k+32]) == dk[768k+32 : 768k+64], H = SHA3-256).
    /// </summary>
    public static void CheckDecapsulationKey(KemAlgorithm algorithm, ReadOnlySpan<byte> dk)
    {
        if (dk.Length != algorithm.ExpandedPrivateKeySize)
            throw new InvalidKeyException($"{algorithm.Name} decapsulation key must be {algorithm.ExpandedPrivateKeySize} bytes, not {dk.Length}.");
        var k = K(algorithm);
        Span<byte> hash = stackalloc byte[32];
        Fips202.Sha3_256(dk.Slice(384 * k, (384 * k) + 32), hash);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(hash, dk.Slice((768 * k) + 32, 32)))
            throw new InvalidKeyException($"{algorithm.Name} decapsulation key fails the FIPS 203 7.3 hash check.");
    }

    /// <summary>FIPS 203 7.3 (ciphertext type check): the ciphertext has length 32(d_u·k + d_v).</summary>
    public static void CheckCiphertext(KemAlgorithm algorithm, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length != algorithm.CiphertextSize)
            throw new MalformedInputException($"{algorithm.Name} ciphertext must be {algorithm.CiphertextSize} bytes, not {ciphertext.Length}.");
    }

    /// <summary>FIPS 203 6.1 ML-KEM.KeyGen_internal takes d and z, 32 bytes each.</summary>
    public static void CheckSeed(KemAlgorithm algorithm, ReadOnlySpan<byte> seed)
    {
        if (seed.Length != algorithm.SeedSize)
            throw new InvalidKeyException($"{algorithm.Name} seed (d‖z) must be {algorithm.SeedSize} bytes, not {seed.Length}.");
    }

    /// <summary>FIPS 203 6.1: dk = dk_PKE ‖ ek ‖ H(ek) ‖ z, so ek is dk[384k : 768k+32].</summary>
    public static ReadOnlySpan<byte> EncapsulationKeyOf(KemAlgorithm algorithm, ReadOnlySpan<byte> dk) =>
        dk.Slice(384 * K(algorithm), algorithm.PublicKeySize);

    /// <summary>ByteDecode12 reads two 12-bit little-endian values from every three bytes (FIPS 203 4.2.1).</summary>
    private static bool CoefficientsAreReduced(ReadOnlySpan<byte> encoded)
    {
        for (var i = 0; i + 2 < encoded.Length; i += 3)
        {
            var c0 = encoded[i] | ((encoded[i + 1] & 0x0F) << 8);
            var c1 = (encoded[i + 1] >> 4) | (encoded[i + 2] << 4);
            if (c0 >= Q || c1 >= Q) return false;
        }

        return true;
    }
}
