using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Hybrid;

/// <summary>
/// Composite ML-DSA of draft-ietf-lamps-pq-composite-sigs, followed at revision -19 (the vectors in
/// shared/vectors/composite are identical in -14 to -19). Section numbers below are those of -19.
/// Both components come from the provider registry, so this "composed" provider runs on whichever
/// ML-DSA, Ed25519 and ECDSA implementations the platform selects.
/// <list type="bullet">
/// <item>Public key (§4.1): mldsaPK ‖ tradPK.</item>
/// <item>Private key (§4.2): mldsaSeed (32) ‖ tradSK (Ed25519 seed, or RFC 5915 ECPrivateKey DER).</item>
/// <item>Signature (§4.3): mldsaSig ‖ tradSig (Ed25519 64 bytes, or ECDSA DER Ecdsa-Sig-Value).</item>
/// <item>Message representative (§2.2, §3.2 step 2): M' = Prefix ‖ Label ‖ len(ctx) ‖ ctx ‖ PH(M).</item>
/// </list>
/// A signature is valid only when both halves verify (§3.3).
/// </summary>
internal sealed class CompositeSignature : ISignatureScheme
{
    private readonly CompositeSignatureParameters _parameters;
    private readonly ISignatureScheme _mlDsa;
    private readonly ISignatureScheme _traditional;

    public CompositeSignature(CompositeSignatureParameters parameters, CryptoProviders providers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(providers);
        _parameters = parameters;
        _mlDsa = providers.Signature(parameters.MlDsa);
        _traditional = providers.Signature(parameters.Traditional.Algorithm);
    }

    public SignatureAlgorithm Algorithm => _parameters.Algorithm;

    public string Provider => ProviderNames.Composed;

    /// <summary>The component providers in use (for <c>enigm selftest</c> and tests).</summary>
    public (string MlDsa, string Traditional) ComponentProviders => (_mlDsa.Provider, _traditional.Provider);

    /// <summary>§3.1 KeyGen: both component keys are generated fresh; nothing is reused.</summary>
    public PrivateKey GenerateKey()
    {
        using var mlDsaKey = _mlDsa.GenerateKey();
        using var traditionalKey = _traditional.GenerateKey();
        using var mlDsaSeed = mlDsaKey.ExportPrivateMaterial();
        if (mlDsaKey.Format != PrivateKeyFormat.Seed || mlDsaSeed.Length != _parameters.MlDsaSeedSize)
            throw new InvalidOperationException($"{_mlDsa.Provider} did not produce a seed-form {_parameters.MlDsa.Name} key.");
        using var traditionalMaterial = traditionalKey.ExportPrivateMaterial();
        var tradSK = _parameters.Traditional.EncodePrivateKey(traditionalMaterial.Span);
        try
        {
            return new PrivateKey(Algorithm, Concatenate(mlDsaSeed.Span, tradSK), PrivateKeyFormat.Seed, [.. mlDsaKey.PublicKey, .. traditionalKey.PublicKey]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tradSK);
        }
    }

    /// <summary>Imports the §4.2 serialisation mldsaSeed ‖ tradSK, the only private form the draft defines.</summary>
    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        if (format != PrivateKeyFormat.Seed)
            throw new InvalidKeyException($"{Algorithm.Name} private keys exist only in the draft's seed serialisation (§4.2).");
        using var components = DecodePrivateKey(privateKey);
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), PrivateKeyFormat.Seed, [.. components.MlDsa.PublicKey, .. components.Traditional.PublicKey]);
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        RequirePublicKeyLength(publicKey);
        _mlDsa.ValidatePublicKey(publicKey[.._parameters.MlDsaPublicKeySize]);
        _traditional.ValidatePublicKey(publicKey[_parameters.MlDsaPublicKeySize..]);
    }

    /// <summary>§3.2 Composite-ML-DSA.Sign(sk, M, ctx).</summary>
    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        SignatureGuards.RequireKeyFor(privateKey, Algorithm);
        SignatureGuards.RequireContextLength(context, Algorithm);                   // step 1
        var representative = MessageRepresentative(message, context);              // step 2
        var components = privateKey.GetOrCreateProviderState(k => DecodePrivateKey(k.Material)); // step 3
        var mlDsaSig = _mlDsa.Sign(components.MlDsa, representative, _parameters.Label); // step 4, mldsa ctx = Label
        var tradSig = _parameters.Traditional.EncodeSignature(_traditional.Sign(components.Traditional, representative));
        return [.. mlDsaSig, .. tradSig];                                          // step 6, §4.3
    }

    /// <summary>§3.3 Composite-ML-DSA.Verify(pk, M, s, ctx): true only if every component verifies.</summary>
    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        RequirePublicKeyLength(publicKey);                                          // step 2 (keys, §4.1)
        var mlDsaPK = publicKey[.._parameters.MlDsaPublicKeySize];
        var tradPK = publicKey[_parameters.MlDsaPublicKeySize..];
        _mlDsa.ValidatePublicKey(mlDsaPK);
        _traditional.ValidatePublicKey(tradPK);
        if (context.Length > SignatureGuards.MaxContextLength) return false;        // step 1
        if (signature.Length <= _parameters.MlDsaSignatureSize) return false;       // step 2 (signature, §4.3)
        var mlDsaSig = signature[.._parameters.MlDsaSignatureSize];
        if (!_parameters.Traditional.TryDecodeSignature(signature[_parameters.MlDsaSignatureSize..], out var tradSig))
            return false;
        var representative = MessageRepresentative(message, context);              // step 3
        // Step 4 verifies both components, independently: the traditional half (Ed25519 66 µs, ECDSA P-384) is offered
        // to a second core while this thread runs ML-DSA (229 µs on BouncyCastle), which halves a first contact's
        // bundle check when a core is free (docs/benchmarks.md, "Fifth pass"). Both always run to the end and both
        // must be true; an exception in either propagates (SecondCore), so it can never become an accept.
        // Lambdas cannot hold spans: the halves get copies of their key and signature (≈ 5 KB, well under a microsecond).
        var (tradPKBytes, mlDsaPKBytes, mlDsaSigBytes) = (tradPK.ToArray(), mlDsaPK.ToArray(), mlDsaSig.ToArray());
        var (traditionalValid, mlDsaValid) = SecondCore.Run(
            () => _traditional.Verify(tradPKBytes, representative, tradSig),
            () => _mlDsa.Verify(mlDsaPKBytes, representative, mlDsaSigBytes, _parameters.Label));
        return mlDsaValid & traditionalValid;
    }

    /// <summary>§2.2: M' = Prefix ‖ Label ‖ len(ctx) ‖ ctx ‖ PH(M), len(ctx) as one unsigned byte.</summary>
    internal byte[] MessageRepresentative(ReadOnlySpan<byte> message, ReadOnlySpan<byte> context)
    {
        var prefix = CompositeSignatureParameters.Prefix;
        var label = _parameters.Label;
        var representative = new byte[prefix.Length + label.Length + 1 + context.Length + SHA512.HashSizeInBytes];
        var span = representative.AsSpan();
        prefix.CopyTo(span);
        span = span[prefix.Length..];
        label.CopyTo(span);
        span = span[label.Length..];
        span[0] = checked((byte)context.Length);
        span = span[1..];
        context.CopyTo(span);
        SHA512.HashData(message, span[context.Length..]);
        return representative;
    }

    /// <summary>§4.1 DeserializePublicKey splits at the ML-DSA size; both component keys have fixed sizes here, so the total is checked exactly.</summary>
    private void RequirePublicKeyLength(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Algorithm.PublicKeySize)
            throw new InvalidKeyException($"{Algorithm.Name} public key is {publicKey.Length} bytes; expected {Algorithm.PublicKeySize}.");
    }

    /// <summary>§4.2 DeserializePrivateKey, then each component is imported by its provider (§3.2 step 3).</summary>
    private ComponentKeys DecodePrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length <= _parameters.MlDsaSeedSize)
            throw new InvalidKeyException($"{Algorithm.Name} private key is too short ({privateKey.Length} bytes).");
        var mlDsa = _mlDsa.ImportPrivateKey(privateKey[.._parameters.MlDsaSeedSize], PrivateKeyFormat.Seed);
        var traditionalMaterial = Array.Empty<byte>();
        try
        {
            traditionalMaterial = _parameters.Traditional.DecodePrivateKey(privateKey[_parameters.MlDsaSeedSize..]);
            var traditional = _traditional.ImportPrivateKey(traditionalMaterial, _parameters.Traditional.ComponentFormat);
            return new ComponentKeys(mlDsa, traditional);
        }
        catch
        {
            mlDsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(traditionalMaterial);
        }
    }

    private static SecretBytes Concatenate(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var secret = new SecretBytes(first.Length + second.Length);
        first.CopyTo(secret.WritableSpan);
        second.CopyTo(secret.WritableSpan[first.Length..]);
        return secret;
    }

    /// <summary>The imported component keys, cached on the composite <see cref="PrivateKey"/> and disposed with it.</summary>
    private sealed class ComponentKeys(PrivateKey mlDsa, PrivateKey traditional) : IDisposable
    {
        public PrivateKey MlDsa { get; } = mlDsa;

        public PrivateKey Traditional { get; } = traditional;

        public void Dispose()
        {
            MlDsa.Dispose();
            Traditional.Dispose();
        }
    }
}
