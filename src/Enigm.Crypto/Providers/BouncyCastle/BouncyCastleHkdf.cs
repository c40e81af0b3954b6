using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using KdfAlgorithm = Enigm.Crypto.Algorithms.KdfAlgorithm;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>RFC 5869 HKDF from BouncyCastle's <see cref="HkdfBytesGenerator"/>.</summary>
internal sealed class BouncyCastleHkdf : IKdf
{
    public BouncyCastleHkdf(KdfAlgorithm algorithm)
    {
        if (algorithm != KdfAlgorithm.HkdfSha256 && algorithm != KdfAlgorithm.HkdfSha512)
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not an HKDF this provider implements");
        Algorithm = algorithm;
    }

    public KdfAlgorithm Algorithm { get; }

    public string Provider => ProviderNames.BouncyCastle;

    public void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        SymmetricInputChecks.KdfOutput(Algorithm, output.Length);
        IDigest digest = Algorithm == KdfAlgorithm.HkdfSha256 ? new Sha256Digest() : new Sha512Digest();
        var ikm = inputKeyMaterial.ToArray();
        try
        {
            // RFC 5869 2.2: an empty salt stands for HashLen zero octets; BouncyCastle substitutes them itself.
            var generator = new HkdfBytesGenerator(digest);
            generator.Init(new HkdfParameters(ikm, salt.ToArray(), info.ToArray()));
            generator.GenerateBytes(output);
        }
        catch (Exception e) when (e is ArgumentException or CryptoException)
        {
            CryptographicOperations.ZeroMemory(output);
            throw new MalformedInputException($"{Algorithm.Name} (BouncyCastle) rejected its inputs.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }
}
