using System.Security.Cryptography;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>
/// The HashML-DSA pre-hash functions of FIPS 204 §5.4 that the platform can compute, by ACVP name, with
/// the hash OIDs of NIST CSOR (2.16.840.1.101.3.4.2.*). SHAKE128 outputs 256 bits and SHAKE256 512 bits
/// (FIPS 204 Algorithm 4). SHA-224 and the SHA-512/t variants are not in the BCL: null.
/// </summary>
internal static class MlDsaPreHash
{
    public static (byte[] Hash, string Oid)? TryCompute(string? hashAlgorithm, ReadOnlySpan<byte> message) => hashAlgorithm switch
    {
        "SHA2-256" => (SHA256.HashData(message), "2.16.840.1.101.3.4.2.1"),
        "SHA2-384" => (SHA384.HashData(message), "2.16.840.1.101.3.4.2.2"),
        "SHA2-512" => (SHA512.HashData(message), "2.16.840.1.101.3.4.2.3"),
        "SHA3-256" when SHA3_256.IsSupported => (SHA3_256.HashData(message), "2.16.840.1.101.3.4.2.8"),
        "SHA3-384" when SHA3_384.IsSupported => (SHA3_384.HashData(message), "2.16.840.1.101.3.4.2.9"),
        "SHA3-512" when SHA3_512.IsSupported => (SHA3_512.HashData(message), "2.16.840.1.101.3.4.2.10"),
        "SHAKE-128" when Shake128.IsSupported => (Shake128.HashData(message, 32), "2.16.840.1.101.3.4.2.11"),
        "SHAKE-256" when Shake256.IsSupported => (Shake256.HashData(message, 64), "2.16.840.1.101.3.4.2.12"),
        _ => null,
    };
}
