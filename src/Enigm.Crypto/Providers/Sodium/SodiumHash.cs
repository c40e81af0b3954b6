using Enigm.Crypto.Primitives;
using HashAlgorithm = Enigm.Crypto.Algorithms.HashAlgorithm;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>SHA-256, SHA-512 (crypto_hash_sha256 / _sha512) and SHA3-256 from libsodium through NSec.</summary>
internal sealed class SodiumHash(HashAlgorithm algorithm) : IHash
{
    private readonly NSec.Cryptography.HashAlgorithm _nsec =
        algorithm == HashAlgorithm.Sha256 ? NSec.Cryptography.HashAlgorithm.Sha256
        : algorithm == HashAlgorithm.Sha512 ? NSec.Cryptography.HashAlgorithm.Sha512
        : algorithm == HashAlgorithm.Sha3_256 ? NSec.Cryptography.HashAlgorithm.Sha3_256
        : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not a hash this provider implements");

    public HashAlgorithm Algorithm { get; } = algorithm;

    public string Provider => ProviderNames.Libsodium;

    public void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        SymmetricInputChecks.HashOutput(Algorithm, digest.Length);
        _nsec.Hash(data, digest);
    }
}
