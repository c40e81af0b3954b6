using System.Security.Cryptography;
using Enigm.Crypto.Primitives;
using HashAlgorithm = Enigm.Crypto.Algorithms.HashAlgorithm;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>SHA-256 and SHA-512 (FIPS 180-4) and SHA3-256 (FIPS 202) through System.Security.Cryptography.</summary>
internal sealed class BclHash(HashAlgorithm algorithm) : IHash
{
    public HashAlgorithm Algorithm { get; } = algorithm;

    public string Provider => ProviderNames.Bcl;

    /// <summary>SHA-2 is always present; SHA3-256 needs OpenSSL 1.1.1+ or Windows 11 build 25324+.</summary>
    public static bool IsSupported(HashAlgorithm algorithm) =>
        algorithm != HashAlgorithm.Sha3_256 || SHA3_256.IsSupported;

    public void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        SymmetricInputChecks.HashOutput(Algorithm, digest.Length);
        if (Algorithm == HashAlgorithm.Sha256)
            SHA256.HashData(data, digest);
        else if (Algorithm == HashAlgorithm.Sha512)
            SHA512.HashData(data, digest);
        else if (Algorithm == HashAlgorithm.Sha3_256)
            SHA3_256.HashData(data, digest);
        else
            throw new InvalidOperationException($"{Algorithm.Name} is not a hash this provider implements.");
    }
}
