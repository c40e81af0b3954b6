using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>
/// ECDSA over P-384 with SHA-384 (FIPS 186-5 §6) through <see cref="ECDsa"/>. Public key: SEC1
/// uncompressed point (97 bytes); private key: the 48-byte scalar d; signature: IEEE P1363 r‖s (96 bytes).
/// Signing uses the platform's random nonce.
/// </summary>
internal sealed class BclEcdsaP384 : ISignatureScheme
{
    public SignatureAlgorithm Algorithm => SignatureAlgorithm.EcdsaP384;

    public string Provider => ProviderNames.Bcl;

    public PrivateKey GenerateKey()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            return new PrivateKey(Algorithm, SecretBytes.CopyFrom(parameters.D), PrivateKeyFormat.Expanded, EncodePoint(parameters.Q));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        // ECDSA has no seed: both formats mean the SEC1 §2.3.6 fixed-width 48-byte scalar.
        using var ecdsa = CreatePrivate(privateKey);
        var publicKey = EncodePoint(ecdsa.ExportParameters(includePrivateParameters: false).Q);
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), PrivateKeyFormat.Expanded, publicKey);
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        using var ecdsa = CreatePublic(publicKey);
    }

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        SignatureGuards.RequireKeyFor(privateKey, Algorithm);
        SignatureGuards.RequireNoContext(context, Algorithm);
        // The platform key is cached with the handle (and disposed with it): rebuilding it from the scalar
        // on every call made OpenSSL recompute and check Q each time (docs/benchmarks.md, finding 2).
        var ecdsa = privateKey.GetOrCreateProviderState(k => CreatePrivate(k.Material));
        return ecdsa.SignData(message, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        using var ecdsa = CreatePublic(publicKey);
        if (!context.IsEmpty || signature.Length != 2 * P384.FieldSize) return false;
        try
        {
            return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private ECDsa CreatePrivate(ReadOnlySpan<byte> scalar)
    {
        SignatureGuards.RequirePrivateKeyLength(scalar, P384.FieldSize, Algorithm, PrivateKeyFormat.Expanded);
        if (!P384.IsValidScalar(scalar))
            throw new InvalidKeyException("P-384 private scalar is outside [1, n-1].");
        var d = scalar.ToArray();
        var ecdsa = ECDsa.Create();
        try
        {
            // Q is derived by the platform from d.
            ecdsa.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP384, D = d });
            return ecdsa;
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new InvalidKeyException("P-384 private key was refused by the platform.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }

    private ECDsa CreatePublic(ReadOnlySpan<byte> publicKey)
    {
        SignatureGuards.RequirePublicKeyLength(publicKey, Algorithm);
        if (publicKey[0] != 0x04)
            throw new InvalidKeyException("P-384 public key must be a SEC1 uncompressed point (0x04 ‖ X ‖ Y).");
        var ecdsa = ECDsa.Create();
        try
        {
            // ImportParameters checks that the point is on the curve.
            ecdsa.ImportParameters(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP384,
                Q = new ECPoint { X = publicKey.Slice(1, P384.FieldSize).ToArray(), Y = publicKey.Slice(1 + P384.FieldSize).ToArray() },
            });
            return ecdsa;
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            throw new InvalidKeyException("P-384 public key is not a point on the curve.", e);
        }
    }

    private static byte[] EncodePoint(ECPoint q) => [0x04, .. q.X!, .. q.Y!];
}
