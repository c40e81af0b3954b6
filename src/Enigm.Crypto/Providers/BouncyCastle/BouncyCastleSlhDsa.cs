using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// FIPS 205 SLH-DSA (pure, with context) from BouncyCastle, for SLH-DSA-SHA2-128s and -256s. The private
/// key is the FIPS 205 sk, SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root (4n bytes); FIPS 205 defines no shorter seed
/// form, so both <see cref="PrivateKeyFormat"/> values name that encoding. Import recomputes PK.root from
/// the seeds (one hypertree-top computation, about a fifth of a signature) and refuses a key whose stored
/// root disagrees, so a corrupted key fails at import rather than producing unverifiable signatures.
/// BouncyCastle keeps its own copies of the key in managed arrays that Enigm cannot zero.
/// </summary>
internal sealed class BouncyCastleSlhDsa : ISignatureScheme, ISlhDsaInternalInterface
{
    private const int MaxContextLength = 255;

    private readonly SlhDsaParameters _parameters;
    private readonly int _n;

    public BouncyCastleSlhDsa(SignatureAlgorithm algorithm)
    {
        _parameters = BouncyCastleSlhDsaFunctions.Parameters(algorithm.Name)
            ?? throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "not an SLH-DSA parameter set");
        Algorithm = algorithm;
        _n = algorithm.PublicKeySize / 2;
    }

    public SignatureAlgorithm Algorithm { get; }

    public string Provider => ProviderNames.BouncyCastle;

    /// <summary>FIPS 205 Algorithm 21, slh_keygen, with the three seeds from the platform CSPRNG.</summary>
    public PrivateKey GenerateKey()
    {
        var seeds = new byte[3 * _n];
        try
        {
            RandomNumberGenerator.Fill(seeds);
            return GenerateKeyFromSeeds(seeds.AsSpan(0, _n), seeds.AsSpan(_n, _n), seeds.AsSpan(2 * _n, _n));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seeds);
        }
    }

    public PrivateKey GenerateKeyFromSeeds(ReadOnlySpan<byte> skSeed, ReadOnlySpan<byte> skPrf, ReadOnlySpan<byte> pkSeed)
    {
        if (skSeed.Length != _n || skPrf.Length != _n || pkSeed.Length != _n)
            throw new MalformedInputException($"{Algorithm.Name}: SK.seed, SK.prf and PK.seed must be {_n} bytes each.");

        var (sk, pk) = BouncyCastleSlhDsaFunctions.KeyGenInternal(_parameters, skSeed, skPrf, pkSeed);
        return new PrivateKey(Algorithm, SecretBytes.TakeOwnership(sk), PrivateKeyFormat.Expanded, pk);
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        if (privateKey.Length != Algorithm.PrivateKeySize)
            throw new InvalidKeyException($"{Algorithm.Name}: a private key is {Algorithm.PrivateKeySize} bytes (FIPS 205 sk), not {privateKey.Length}.");

        // FIPS 205 9.1: PK.root is the root of the top XMSS tree, a function of SK.seed and PK.seed only.
        var key = GenerateKeyFromSeeds(privateKey[.._n], privateKey[_n..(2 * _n)], privateKey[(2 * _n)..(3 * _n)]);
        if (!CryptographicOperations.FixedTimeEquals(key.Material, privateKey))
        {
            key.Dispose();
            throw new InvalidKeyException($"{Algorithm.Name}: the private key's PK.root does not match its seeds.");
        }

        return key;
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        // FIPS 205 9.1: PK.seed ‖ PK.root, n bytes each; every value of the right length is well formed.
        if (publicKey.Length != Algorithm.PublicKeySize)
            throw new InvalidKeyException($"{Algorithm.Name}: a public key is {Algorithm.PublicKeySize} bytes, not {publicKey.Length}.");
    }

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"A {privateKey.Algorithm.Name} key cannot sign with {Algorithm.Name}.");
        if (context.Length > MaxContextLength)
            throw new MalformedInputException($"{Algorithm.Name}: the context is {context.Length} bytes; FIPS 205 10.2 allows at most 255.");

        try
        {
            return BouncyCastleSlhDsaFunctions.Sign(_parameters, privateKey.Material, message, context);
        }
        catch (Exception e) when (e is ArgumentException or CryptoException or InvalidOperationException)
        {
            throw new InvalidKeyException($"{Algorithm.Name} (BouncyCastle) could not sign with this key.", e);
        }
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        ValidatePublicKey(publicKey);
        if (signature.Length != Algorithm.MaxSignatureSize || context.Length > MaxContextLength)
            return false;

        try
        {
            return BouncyCastleSlhDsaFunctions.Verify(_parameters, publicKey, message, signature, context);
        }
        catch (Exception e) when (e is ArgumentException or CryptoException or InvalidOperationException)
        {
            return false;
        }
    }

    public bool? VerifyInternal(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ValidatePublicKey(publicKey);
        try
        {
            return BouncyCastleSlhDsaFunctions.VerifyInternal(_parameters, publicKey, message, signature);
        }
        catch (Exception e) when (e is ArgumentException or CryptoException or InvalidOperationException)
        {
            return false;
        }
    }
}
