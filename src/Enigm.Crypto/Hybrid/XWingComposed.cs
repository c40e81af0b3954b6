using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Hybrid;

/// <summary>
/// X-Wing as specified in draft-connolly-cfrg-xwing-kem-06..10 (the vectors are the same in all five),
/// built from whichever ML-KEM-768 and X25519 providers the registry selects, with SHA3-256 and SHAKE256
/// from <see cref="Fips202"/>. Section numbers below are those of draft -10.
/// <para>
/// The private key is the 32-byte decapsulation key sk (5.1). Its expansion (5.2) is cached on the key as
/// the draft allows (5.5.1) and disposed with it. <see cref="ImportExpandedPrivateKey"/> accepts only that
/// 32-byte sk (anything else is <see cref="InvalidKeyException"/>): 5.5.1 forbids moving an expanded key
/// between implementations.
/// </para>
/// <para>
/// The X25519 providers refuse an all-zero result (RFC 7748 6.1), which the draft does not ask for; this
/// matches libsodium's X-Wing. A low-order X25519 part in an encapsulation key gives
/// <see cref="InvalidKeyException"/>; in a ciphertext it gives <see cref="MalformedInputException"/>.
/// </para>
/// </summary>
internal sealed class XWingComposed(IKem mlKem, IKeyAgreement x25519) : IKem
{
    /// <summary>5.3: XWingLabel = "\./" ‖ "/^\" = 5c2e2f2f5e5c.</summary>
    private static ReadOnlySpan<byte> XWingLabel => [0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c];

    private const int MlKemPublicKeySize = 1184;
    private const int MlKemCiphertextSize = 1088;
    private const int X25519Size = 32;
    private const int EncapsulationSeedSize = 64;

    public XWingComposed(CryptoProviders providers)
        : this(providers.Kem(KemAlgorithm.MlKem768), providers.KeyAgreement(KeyAgreementAlgorithm.X25519))
    {
    }

    public KemAlgorithm Algorithm => KemAlgorithm.XWing;

    public string Provider => ProviderNames.Composed;

    /// <summary>5.2 GenerateKeyPair: sk = random(32).</summary>
    public PrivateKey GenerateKeyPair()
    {
        Span<byte> seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return DeriveKeyPair(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>5.2.1 GenerateKeyPairDerand(sk): returns sk and pk = pk_M ‖ pk_X.</summary>
    public PrivateKey DeriveKeyPair(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Algorithm.SeedSize)
            throw new InvalidKeyException($"X-Wing decapsulation key must be {Algorithm.SeedSize} bytes, not {seed.Length}.");
        var expanded = Expand(seed);
        try
        {
            var publicKey = new byte[Algorithm.PublicKeySize];
            expanded.MlKem.PublicKey.CopyTo(publicKey, 0);
            expanded.X25519.PublicKey.CopyTo(publicKey, MlKemPublicKeySize);
            var key = new PrivateKey(Algorithm, SecretBytes.CopyFrom(seed), PrivateKeyFormat.Seed, publicKey);
            key.GetOrCreateProviderState(_ => expanded);
            return key;
        }
        catch
        {
            expanded.Dispose();
            throw;
        }
    }

    public PrivateKey ImportExpandedPrivateKey(ReadOnlySpan<byte> expandedPrivateKey) => DeriveKeyPair(expandedPrivateKey);

    /// <summary>Length, and the ML-KEM-768 encapsulation key check of FIPS 203 7.2 (section 4: Encaps MUST perform it).</summary>
    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Algorithm.PublicKeySize)
            throw new InvalidKeyException($"X-Wing encapsulation key must be {Algorithm.PublicKeySize} bytes, not {publicKey.Length}.");
        mlKem.ValidatePublicKey(publicKey[..MlKemPublicKeySize]);
    }

    /// <summary>5.4 Encapsulate(pk).</summary>
    public KemEncapsulation Encapsulate(ReadOnlySpan<byte> publicKey)
    {
        ValidatePublicKey(publicKey);
        using var ephemeral = x25519.GenerateKey();
        using var mlKemPart = mlKem.Encapsulate(publicKey[..MlKemPublicKeySize]);
        return Finish(publicKey, ephemeral, mlKemPart);
    }

    /// <summary>5.4.1 EncapsulateDerand(pk, eseed): ML-KEM gets eseed[0:32], X25519 ek_X = eseed[32:64].</summary>
    public KemEncapsulation EncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> randomness)
    {
        ValidatePublicKey(publicKey);
        if (randomness.Length != EncapsulationSeedSize)
            throw new MalformedInputException($"X-Wing eseed must be {EncapsulationSeedSize} bytes.");
        using var ephemeral = x25519.ImportPrivateKey(randomness[32..]);
        using var mlKemPart = mlKem.EncapsulateDeterministic(publicKey[..MlKemPublicKeySize], randomness[..32]);
        return Finish(publicKey, ephemeral, mlKemPart);
    }

    /// <summary>5.5 Decapsulate(ct, sk).</summary>
    public SecretBytes Decapsulate(PrivateKey privateKey, ReadOnlySpan<byte> ciphertext)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an X-Wing private key, got {privateKey.Algorithm.Name}.");
        if (ciphertext.Length != Algorithm.CiphertextSize)
            throw new MalformedInputException($"X-Wing ciphertext must be {Algorithm.CiphertextSize} bytes, not {ciphertext.Length}.");

        // 5.5.1: the expansion is cached on the key.
        var expanded = privateKey.GetOrCreateProviderState(key => Expand(key.Material));
        var ctX = ciphertext[MlKemCiphertextSize..];
        using var ssM = mlKem.Decapsulate(expanded.MlKem, ciphertext[..MlKemCiphertextSize]);
        SecretBytes ssX;
        try
        {
            ssX = x25519.Agree(expanded.X25519, ctX);
        }
        catch (InvalidKeyException e)
        {
            throw new MalformedInputException("X-Wing ciphertext has a low-order X25519 component.", e);
        }

        using (ssX)
            return Combiner(ssM.Span, ssX.Span, ctX, expanded.X25519.PublicKey);
    }

    /// <summary>5.4: ct_X = X25519(ek_X, 9), ss_X = X25519(ek_X, pk_X), ss = Combiner(...), ct = ct_M ‖ ct_X.</summary>
    private KemEncapsulation Finish(ReadOnlySpan<byte> publicKey, PrivateKey ephemeral, KemEncapsulation mlKemPart)
    {
        var pkX = publicKey[MlKemPublicKeySize..];
        var ctX = ephemeral.PublicKey;
        using var ssX = x25519.Agree(ephemeral, pkX);
        var ciphertext = new byte[Algorithm.CiphertextSize];
        mlKemPart.Ciphertext.CopyTo(ciphertext, 0);
        ctX.CopyTo(ciphertext, MlKemCiphertextSize);
        return new KemEncapsulation(ciphertext, Combiner(mlKemPart.SharedSecret.Span, ssX.Span, ctX, pkX));
    }

    /// <summary>5.3 Combiner: SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ XWingLabel).</summary>
    private static SecretBytes Combiner(ReadOnlySpan<byte> ssM, ReadOnlySpan<byte> ssX, ReadOnlySpan<byte> ctX, ReadOnlySpan<byte> pkX)
    {
        Span<byte> input = stackalloc byte[32 + X25519Size + X25519Size + X25519Size + 6];
        try
        {
            ssM.CopyTo(input);
            ssX.CopyTo(input[32..]);
            ctX.CopyTo(input[64..]);
            pkX.CopyTo(input[96..]);
            XWingLabel.CopyTo(input[128..]);
            var secret = new SecretBytes(32);
            Fips202.Sha3_256(input, secret.WritableSpan);
            return secret;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>
    /// 5.2 expandDecapsulationKey(sk): expanded = SHAKE256(sk, 96 bytes);
    /// (pk_M, sk_M) = ML-KEM-768.KeyGen_internal(expanded[0:32], expanded[32:64]); sk_X = expanded[64:96].
    /// </summary>
    private ExpandedKey Expand(ReadOnlySpan<byte> sk)
    {
        Span<byte> expanded = stackalloc byte[96];
        try
        {
            Fips202.Shake256(sk, expanded);
            var mlKemKey = mlKem.DeriveKeyPair(expanded[..64]);
            try
            {
                return new ExpandedKey(mlKemKey, x25519.ImportPrivateKey(expanded[64..]));
            }
            catch
            {
                mlKemKey.Dispose();
                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
        }
    }

    /// <summary>The cached expansion of an X-Wing sk: both component private keys.</summary>
    private sealed class ExpandedKey(PrivateKey mlKem, PrivateKey x25519) : IDisposable
    {
        public PrivateKey MlKem { get; } = mlKem;

        public PrivateKey X25519 { get; } = x25519;

        public void Dispose()
        {
            MlKem.Dispose();
            X25519.Dispose();
        }
    }
}
