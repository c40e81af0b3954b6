using Enigm.Crypto.Primitives;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using HashAlgorithm = Enigm.Crypto.Algorithms.HashAlgorithm;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>SHA-256, SHA-512 (FIPS 180-4) and SHA3-256 (FIPS 202) from BouncyCastle's managed digests.</summary>
internal sealed class BouncyCastleHash(HashAlgorithm algorithm) : IHash
{
    public HashAlgorithm Algorithm { get; } =
        algorithm == HashAlgorithm.Sha256 || algorithm == HashAlgorithm.Sha512 || algorithm == HashAlgorithm.Sha3_256
            ? algorithm
            : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not a hash this provider implements");

    public string Provider => ProviderNames.BouncyCastle;

    public void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        SymmetricInputChecks.HashOutput(Algorithm, digest.Length);
        IDigest engine = Algorithm == HashAlgorithm.Sha256 ? new Sha256Digest()
            : Algorithm == HashAlgorithm.Sha512 ? new Sha512Digest()
            : new Sha3Digest(256);
        engine.BlockUpdate(data);
        engine.DoFinal(digest);
    }
}
