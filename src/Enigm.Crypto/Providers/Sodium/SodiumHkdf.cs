using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using KdfAlgorithm = Enigm.Crypto.Algorithms.KdfAlgorithm;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>RFC 5869 HKDF from libsodium (crypto_kdf_hkdf_sha256 / _sha512) through NSec.</summary>
internal sealed class SodiumHkdf(KdfAlgorithm algorithm) : IKdf
{
    private readonly NSec.Cryptography.KeyDerivationAlgorithm _nsec =
        algorithm == KdfAlgorithm.HkdfSha256 ? NSec.Cryptography.KeyDerivationAlgorithm.HkdfSha256
        : algorithm == KdfAlgorithm.HkdfSha512 ? NSec.Cryptography.KeyDerivationAlgorithm.HkdfSha512
        : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not an HKDF this provider implements");

    public KdfAlgorithm Algorithm { get; } = algorithm;

    public string Provider => ProviderNames.Libsodium;

    public void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        SymmetricInputChecks.KdfOutput(Algorithm, output.Length);
        try
        {
            _nsec.DeriveBytes(inputKeyMaterial, salt, info, output);
        }
        catch (ArgumentException e)
        {
            CryptographicOperations.ZeroMemory(output);
            throw new MalformedInputException($"{Algorithm.Name} (libsodium) rejected its inputs.", e);
        }
    }
}
