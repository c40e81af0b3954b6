using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// FIPS 204 ML-DSA-65/87 through BouncyCastle's <see cref="MLDsaSigner"/>. Private keys are the 32-byte
/// seed ξ (<see cref="PrivateKeyFormat.Seed"/>) or the FIPS 204 expanded sk. Signing through
/// <see cref="ISignatureScheme"/> is hedged with BouncyCastle's CSPRNG.
/// BouncyCastle 2.7.0 exposes pure ML-DSA (deterministic or hedged, with a context) and HashML-DSA with
/// SHA-512 only; it has no public entry to the internal interface (Sign_internal on M or on external μ),
/// so <see cref="IMlDsaVectorOperations"/> answers null for those.
/// </summary>
internal sealed class BouncyCastleMlDsa : ISignatureScheme, IMlDsaVectorOperations
{
    private readonly MlDsaParameterSet _set;
    private readonly MLDsaParameters _parameters;
    private readonly MLDsaParameters _sha512PreHash;

    public BouncyCastleMlDsa(SignatureAlgorithm algorithm)
    {
        _set = MlDsaParameterSet.For(algorithm);
        (_parameters, _sha512PreHash) = algorithm == SignatureAlgorithm.MlDsa65
            ? (MLDsaParameters.ml_dsa_65, MLDsaParameters.ml_dsa_65_with_sha512)
            : (MLDsaParameters.ml_dsa_87, MLDsaParameters.ml_dsa_87_with_sha512);
    }

    public SignatureAlgorithm Algorithm => _set.Algorithm;

    public string Provider => ProviderNames.BouncyCastle;

    public PrivateKey GenerateKey()
    {
        var seed = new byte[MlDsaParameterSet.SeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return ImportPrivateKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        var parameters = DecodePrivateKey(privateKey, format);
        var publicKey = parameters.GetPublicKeyEncoded();
        if (format == PrivateKeyFormat.Expanded)
            RequireConsistentTr(privateKey, publicKey);
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), format, publicKey);
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => DecodePublicKey(publicKey);

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        SignatureGuards.RequireKeyFor(privateKey, Algorithm);
        SignatureGuards.RequireContextLength(context, Algorithm);
        var key = DecodePrivateKey(privateKey.Material, privateKey.Format);
        var signer = new MLDsaSigner(_parameters, deterministic: false);
        signer.Init(true, new ParametersWithContext(key, context));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        var key = DecodePublicKey(publicKey);
        if (context.Length > SignatureGuards.MaxContextLength || signature.Length != _set.SignatureSize)
            return false;
        return VerifyWith(new MLDsaSigner(_parameters, deterministic: false), key, message, signature, context);
    }

    public (byte[] PublicKey, byte[] ExpandedPrivateKey) GenerateFromSeed(ReadOnlySpan<byte> seed)
    {
        var key = DecodePrivateKey(seed, PrivateKeyFormat.Seed);
        return (key.GetPublicKeyEncoded(), key.WithPreferredFormat(MLDsaPrivateKeyParameters.Format.EncodingOnly).GetEncoded());
    }

    public byte[]? Sign(ReadOnlySpan<byte> expandedPrivateKey, MlDsaInput input, ReadOnlySpan<byte> rnd)
    {
        var signer = CreateSigner(input, deterministic: rnd.IsEmpty);
        if (signer is null) return null;
        SignatureGuards.RequireContextLength(input.Context, Algorithm);
        ICipherParameters parameters = DecodePrivateKey(expandedPrivateKey, PrivateKeyFormat.Expanded);
        if (!rnd.IsEmpty) parameters = new ParametersWithRandom(parameters, new FixedRandom(rnd.ToArray()));
        signer.Init(true, new ParametersWithContext(parameters, input.Context));
        signer.BlockUpdate(input.Data);
        return signer.GenerateSignature();
    }

    public bool? Verify(ReadOnlySpan<byte> publicKey, MlDsaInput input, ReadOnlySpan<byte> signature)
    {
        var signer = CreateSigner(input, deterministic: false);
        if (signer is null) return null;
        var key = DecodePublicKey(publicKey);
        if (input.Context.Length > SignatureGuards.MaxContextLength || signature.Length != _set.SignatureSize)
            return false;
        return VerifyWith(signer, key, input.Data, signature, input.Context);
    }

    private ISigner? CreateSigner(MlDsaInput input, bool deterministic) => input.Interface switch
    {
        MlDsaInterface.Pure => new MLDsaSigner(_parameters, deterministic),
        MlDsaInterface.PreHash when input.HashAlgorithm == "SHA2-512" => new HashMLDsaSigner(_sha512PreHash, deterministic),
        _ => null,
    };

    private static bool VerifyWith(ISigner signer, MLDsaPublicKeyParameters key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context)
    {
        try
        {
            signer.Init(false, new ParametersWithContext(key, context));
            signer.BlockUpdate(message);
            return signer.VerifySignature(signature.ToArray());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or CryptoException)
        {
            return false;
        }
    }

    private MLDsaPrivateKeyParameters DecodePrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format)
    {
        var expected = format == PrivateKeyFormat.Seed ? MlDsaParameterSet.SeedSize : _set.ExpandedPrivateKeySize;
        SignatureGuards.RequirePrivateKeyLength(privateKey, expected, Algorithm, format);
        if (format == PrivateKeyFormat.Expanded) MlDsaExpandedKey.RequireInRange(privateKey, _set);
        var copy = privateKey.ToArray();
        try
        {
            return format == PrivateKeyFormat.Seed
                ? MLDsaPrivateKeyParameters.FromSeed(_parameters, copy)
                : MLDsaPrivateKeyParameters.FromEncoding(_parameters, copy);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidKeyException($"{Algorithm.Name} private key cannot be decoded.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    private MLDsaPublicKeyParameters DecodePublicKey(ReadOnlySpan<byte> publicKey)
    {
        SignatureGuards.RequirePublicKeyLength(publicKey, Algorithm);
        try
        {
            return MLDsaPublicKeyParameters.FromEncoding(_parameters, publicKey.ToArray());
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidKeyException($"{Algorithm.Name} public key cannot be decoded.", e);
        }
    }

    /// <summary>
    /// An expanded sk carries tr = H(pk, 64) (FIPS 204 Algorithm 6 line 6). The public key derived
    /// from the sk's s1, s2 must hash to that tr; a mismatch means s1/s2 were altered (for example
    /// out-of-range coefficients, Wycheproof "InvalidPrivateKey"), so the key is refused.
    /// </summary>
    private void RequireConsistentTr(ReadOnlySpan<byte> expandedPrivateKey, byte[] derivedPublicKey)
    {
        var shake = new ShakeDigest(256);
        shake.BlockUpdate(derivedPublicKey);
        Span<byte> tr = stackalloc byte[MlDsaParameterSet.TrSize];
        shake.OutputFinal(tr);
        if (!CryptographicOperations.FixedTimeEquals(tr, expandedPrivateKey.Slice(MlDsaParameterSet.TrOffset, MlDsaParameterSet.TrSize)))
            throw new InvalidKeyException($"{Algorithm.Name} expanded private key is inconsistent (tr does not match its public key).");
    }
}
