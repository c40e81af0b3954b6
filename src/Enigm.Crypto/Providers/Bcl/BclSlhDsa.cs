using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

// System.Security.Cryptography.SlhDsa is marked experimental (SYSLIB5006) in .NET 10.
#pragma warning disable SYSLIB5006

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>
/// FIPS 205 SLH-DSA (pure, with context) through System.Security.Cryptography.SlhDsa: OpenSSL 3.5+ on
/// Linux, CNG on Windows. The private key is the FIPS 205 sk (4n bytes), as with the BouncyCastle provider.
/// The platform exposes neither the internal interface nor key generation from seeds, so import cannot
/// recompute PK.root; the platform's own import checks apply.
/// </summary>
internal sealed class BclSlhDsa : ISignatureScheme
{
    private const int MaxContextLength = 255;

    private readonly SlhDsaAlgorithm _platformAlgorithm;

    public BclSlhDsa(SignatureAlgorithm algorithm)
    {
        _platformAlgorithm = algorithm == SignatureAlgorithm.SlhDsaSha2_128s ? SlhDsaAlgorithm.SlhDsaSha2_128s
            : algorithm == SignatureAlgorithm.SlhDsaSha2_256s ? SlhDsaAlgorithm.SlhDsaSha2_256s
            : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not an SLH-DSA parameter set this provider implements");
        Algorithm = algorithm;
    }

    public static bool IsSupported => SlhDsa.IsSupported;

    public SignatureAlgorithm Algorithm { get; }

    public string Provider => ProviderNames.Bcl;

    public PrivateKey GenerateKey()
    {
        try
        {
            using var key = SlhDsa.GenerateKey(_platformAlgorithm);
            return Export(key);
        }
        catch (CryptographicException e)
        {
            throw new AlgorithmUnavailableException($"{Algorithm.Name} key generation failed on this platform: {e.Message}");
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        if (privateKey.Length != _platformAlgorithm.PrivateKeySizeInBytes)
            throw new InvalidKeyException($"{Algorithm.Name}: a private key is {_platformAlgorithm.PrivateKeySizeInBytes} bytes (FIPS 205 sk), not {privateKey.Length}.");

        try
        {
            using var key = SlhDsa.ImportSlhDsaPrivateKey(_platformAlgorithm, privateKey);
            return Export(key);
        }
        catch (CryptographicException e)
        {
            throw new InvalidKeyException($"{Algorithm.Name}: the platform refused the private key.", e);
        }
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != _platformAlgorithm.PublicKeySizeInBytes)
            throw new InvalidKeyException($"{Algorithm.Name}: a public key is {_platformAlgorithm.PublicKeySizeInBytes} bytes, not {publicKey.Length}.");
    }

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"A {privateKey.Algorithm.Name} key cannot sign with {Algorithm.Name}.");
        if (context.Length > MaxContextLength)
            throw new MalformedInputException($"{Algorithm.Name}: the context is {context.Length} bytes; FIPS 205 10.2 allows at most 255.");

        try
        {
            // The platform key object is cached on the PrivateKey and disposed with it.
            var key = privateKey.GetOrCreateProviderState(k => SlhDsa.ImportSlhDsaPrivateKey(_platformAlgorithm, k.Material));
            var signature = new byte[_platformAlgorithm.SignatureSizeInBytes];
            key.SignData(message, signature, context);
            return signature;
        }
        catch (CryptographicException e)
        {
            throw new InvalidKeyException($"{Algorithm.Name}: the platform could not sign with this key.", e);
        }
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        ValidatePublicKey(publicKey);
        if (signature.Length != _platformAlgorithm.SignatureSizeInBytes || context.Length > MaxContextLength)
            return false;

        try
        {
            using var key = SlhDsa.ImportSlhDsaPublicKey(_platformAlgorithm, publicKey);
            return key.VerifyData(message, signature, context);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private PrivateKey Export(SlhDsa key)
    {
        var secret = new SecretBytes(_platformAlgorithm.PrivateKeySizeInBytes);
        try
        {
            key.ExportSlhDsaPrivateKey(secret.WritableSpan);
            return new PrivateKey(Algorithm, secret, PrivateKeyFormat.Expanded, key.ExportSlhDsaPublicKey());
        }
        catch
        {
            secret.Dispose();
            throw;
        }
    }
}
