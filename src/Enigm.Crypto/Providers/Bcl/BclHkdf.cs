using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using KdfAlgorithm = Enigm.Crypto.Algorithms.KdfAlgorithm;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>RFC 5869 HKDF (extract then expand) through System.Security.Cryptography.HKDF.</summary>
internal sealed class BclHkdf(KdfAlgorithm algorithm) : IKdf
{
    private readonly HashAlgorithmName _hash = algorithm == KdfAlgorithm.HkdfSha256 ? HashAlgorithmName.SHA256
        : algorithm == KdfAlgorithm.HkdfSha512 ? HashAlgorithmName.SHA512
        : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not an HKDF this provider implements");

    public KdfAlgorithm Algorithm { get; } = algorithm;

    public string Provider => ProviderNames.Bcl;

    public void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        SymmetricInputChecks.KdfOutput(Algorithm, output.Length);
        try
        {
            // RFC 5869 2.2: an absent salt is HashLen zero octets, which HMAC treats exactly like an empty key.
            HKDF.DeriveKey(_hash, inputKeyMaterial, output, salt, info);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            CryptographicOperations.ZeroMemory(output);
            throw new MalformedInputException($"{Algorithm.Name} rejected its inputs.", e);
        }
    }
}
