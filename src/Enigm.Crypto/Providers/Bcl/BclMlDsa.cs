using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;
using SignatureAlgorithm = Enigm.Crypto.Algorithms.SignatureAlgorithm;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>
/// FIPS 204 ML-DSA-65/87 through .NET's <see cref="MLDsa"/> (OpenSSL 3.5+ or Windows CNG;
/// <see cref="MLDsa.IsSupported"/> is false on OpenSSL 3.0). Private keys are the seed ξ or the expanded
/// sk. The platform signs hedged only, with its own randomness: it cannot reproduce a deterministic or
/// given-rnd signature, so <see cref="IMlDsaVectorOperations.Sign"/> answers null. Verification covers
/// every FIPS 204 interface: pure, HashML-DSA (via <see cref="MLDsa.VerifyPreHash(ReadOnlySpan{byte}, ReadOnlySpan{byte}, string, ReadOnlySpan{byte})"/>)
/// and the internal interface via external μ (§6.2).
/// </summary>
internal sealed class BclMlDsa : ISignatureScheme, IMlDsaVectorOperations
{
    private readonly MlDsaParameterSet _set;
    private readonly MLDsaAlgorithm _algorithm;

    public BclMlDsa(SignatureAlgorithm algorithm)
    {
        _set = MlDsaParameterSet.For(algorithm);
        _algorithm = algorithm == SignatureAlgorithm.MlDsa65 ? MLDsaAlgorithm.MLDsa65 : MLDsaAlgorithm.MLDsa87;
    }

    public static bool IsSupported => MLDsa.IsSupported;

    public SignatureAlgorithm Algorithm => _set.Algorithm;

    public string Provider => ProviderNames.Bcl;

    public PrivateKey GenerateKey()
    {
        using var key = MLDsa.GenerateKey(_algorithm);
        var seed = key.ExportMLDsaPrivateSeed();
        try
        {
            return new PrivateKey(Algorithm, SecretBytes.CopyFrom(seed), PrivateKeyFormat.Seed, key.ExportMLDsaPublicKey());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        using var key = ImportPrivate(privateKey, format);
        var publicKey = key.ExportMLDsaPublicKey();
        if (format == PrivateKeyFormat.Expanded)
            RequireConsistentTr(privateKey, publicKey);
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), format, publicKey);
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        using var key = ImportPublic(publicKey);
    }

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        SignatureGuards.RequireKeyFor(privateKey, Algorithm);
        SignatureGuards.RequireContextLength(context, Algorithm);
        using var key = ImportPrivate(privateKey.Material, privateKey.Format);
        var signature = new byte[_set.SignatureSize];
        key.SignData(message, signature, context);
        return signature;
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        using var key = ImportPublic(publicKey);
        if (context.Length > SignatureGuards.MaxContextLength || signature.Length != _set.SignatureSize) return false;
        try
        {
            return key.VerifyData(message, signature, context);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public (byte[] PublicKey, byte[] ExpandedPrivateKey) GenerateFromSeed(ReadOnlySpan<byte> seed)
    {
        using var key = ImportPrivate(seed, PrivateKeyFormat.Seed);
        return (key.ExportMLDsaPublicKey(), key.ExportMLDsaPrivateKey());
    }

    /// <summary>The platform API signs hedged with its own randomness only.</summary>
    public byte[]? Sign(ReadOnlySpan<byte> expandedPrivateKey, MlDsaInput input, ReadOnlySpan<byte> rnd) => null;

    public bool? Verify(ReadOnlySpan<byte> publicKey, MlDsaInput input, ReadOnlySpan<byte> signature)
    {
        if (input.Interface == MlDsaInterface.Pure)
            return Verify(publicKey, input.Data, signature, input.Context);
        using var key = ImportPublic(publicKey);
        if (input.Context.Length > SignatureGuards.MaxContextLength || signature.Length != _set.SignatureSize) return false;
        try
        {
            // VerifyPreHash and VerifyMu are marked for evaluation (SYSLIB5006) in .NET 10; they are used
            // here only by the known-answer runner.
#pragma warning disable SYSLIB5006
            switch (input.Interface)
            {
                case MlDsaInterface.PreHash:
                    var preHash = MlDsaPreHash.TryCompute(input.HashAlgorithm, input.Data);
                    return preHash is { } value ? key.VerifyPreHash(value.Hash, signature, value.Oid, input.Context) : null;
                case MlDsaInterface.ExternalMu:
                    return key.VerifyMu(input.Data, signature);
                case MlDsaInterface.InternalMessage:
                    // FIPS 204 Algorithm 8 lines 6-7: μ = H(H(pk, 64) ‖ M, 64), then verify on μ.
                    if (!Shake256.IsSupported) return null;
                    var tr = Shake256.HashData(publicKey, MlDsaParameterSet.TrSize);
                    return key.VerifyMu(Shake256.HashData([.. tr, .. input.Data], 64), signature);
                default:
                    return null;
            }
#pragma warning restore SYSLIB5006
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private MLDsa ImportPrivate(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format)
    {
        var expected = format == PrivateKeyFormat.Seed ? MlDsaParameterSet.SeedSize : _set.ExpandedPrivateKeySize;
        SignatureGuards.RequirePrivateKeyLength(privateKey, expected, Algorithm, format);
        if (format == PrivateKeyFormat.Expanded) MlDsaExpandedKey.RequireInRange(privateKey, _set);
        try
        {
            return format == PrivateKeyFormat.Seed
                ? MLDsa.ImportMLDsaPrivateSeed(_algorithm, privateKey)
                : MLDsa.ImportMLDsaPrivateKey(_algorithm, privateKey);
        }
        catch (CryptographicException e)
        {
            throw new InvalidKeyException($"{Algorithm.Name} private key was refused by the platform.", e);
        }
    }

    private MLDsa ImportPublic(ReadOnlySpan<byte> publicKey)
    {
        SignatureGuards.RequirePublicKeyLength(publicKey, Algorithm);
        try
        {
            return MLDsa.ImportMLDsaPublicKey(_algorithm, publicKey);
        }
        catch (CryptographicException e)
        {
            throw new InvalidKeyException($"{Algorithm.Name} public key was refused by the platform.", e);
        }
    }

    /// <summary>See BouncyCastleMlDsa: the sk's tr must be H(pk, 64) of the public key it implies.</summary>
    private void RequireConsistentTr(ReadOnlySpan<byte> expandedPrivateKey, byte[] derivedPublicKey)
    {
        if (!Shake256.IsSupported) return;
        var tr = Shake256.HashData(derivedPublicKey, MlDsaParameterSet.TrSize);
        if (!CryptographicOperations.FixedTimeEquals(tr, expandedPrivateKey.Slice(MlDsaParameterSet.TrOffset, MlDsaParameterSet.TrSize)))
            throw new InvalidKeyException($"{Algorithm.Name} expanded private key is inconsistent (tr does not match its public key).");
    }
}
