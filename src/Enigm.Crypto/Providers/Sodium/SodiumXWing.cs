using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// X-Wing (draft-connolly-cfrg-xwing-kem-06..10) from libsodium 1.0.22. The private key is the 32-byte
/// decapsulation key sk (draft 5.1), which is also the key-generation seed; libsodium re-expands it on
/// every decapsulation (draft 5.2), so nothing is cached.
/// <para>
/// libsodium refuses an X25519 component whose Diffie-Hellman result is all zero (a low-order point),
/// which the draft does not require. Enigm keeps that refusal, and so does the composed provider: an
/// encapsulation key with such a point gives <see cref="InvalidKeyException"/>, a ciphertext with one
/// gives <see cref="MalformedInputException"/>.
/// </para>
/// <para>
/// <see cref="ImportExpandedPrivateKey"/> accepts only the 32-byte sk: the draft (5.5.1) forbids moving
/// an expanded decapsulation key between implementations, and X-Wing's sk already is the full key.
/// </para>
/// </summary>
internal sealed class SodiumXWing : IKem
{
    private const int EncapsulationSeedSize = 64;

    public SodiumXWing() => SodiumLibrary.EnsureAvailable();

    public KemAlgorithm Algorithm => KemAlgorithm.XWing;

    public string Provider => ProviderNames.Libsodium;

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

    public PrivateKey DeriveKeyPair(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Algorithm.SeedSize)
            throw new InvalidKeyException($"X-Wing seed must be {Algorithm.SeedSize} bytes, not {seed.Length}.");
        var publicKey = new byte[Algorithm.PublicKeySize];
        var secretKey = new SecretBytes(Algorithm.SeedSize);
        if (SodiumLibrary.crypto_kem_xwing_seed_keypair(publicKey, secretKey.WritableSpan, seed) != 0)
        {
            secretKey.Dispose();
            throw new InvalidKeyException("libsodium X-Wing key generation failed.");
        }

        return new PrivateKey(Algorithm, secretKey, PrivateKeyFormat.Seed, publicKey);
    }

    /// <summary>X-Wing's decapsulation key is the 32-byte seed; any other length is <see cref="InvalidKeyException"/>.</summary>
    public PrivateKey ImportExpandedPrivateKey(ReadOnlySpan<byte> expandedPrivateKey) => DeriveKeyPair(expandedPrivateKey);

    /// <summary>Length, and the FIPS 203 7.2 check of the ML-KEM-768 part (draft section 4: Encaps MUST perform it).</summary>
    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Algorithm.PublicKeySize)
            throw new InvalidKeyException($"X-Wing encapsulation key must be {Algorithm.PublicKeySize} bytes, not {publicKey.Length}.");
        MlKemInputChecks.CheckEncapsulationKey(KemAlgorithm.MlKem768, publicKey[..KemAlgorithm.MlKem768.PublicKeySize]);
    }

    public KemEncapsulation Encapsulate(ReadOnlySpan<byte> publicKey)
    {
        ValidatePublicKey(publicKey);
        var ciphertext = new byte[Algorithm.CiphertextSize];
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (SodiumLibrary.crypto_kem_xwing_enc(ciphertext, secret.WritableSpan, publicKey) != 0)
        {
            secret.Dispose();
            throw new InvalidKeyException("X-Wing encapsulation key has a low-order X25519 component.");
        }

        return new KemEncapsulation(ciphertext, secret);
    }

    public KemEncapsulation EncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> randomness)
    {
        ValidatePublicKey(publicKey);
        if (randomness.Length != EncapsulationSeedSize)
            throw new MalformedInputException($"X-Wing eseed must be {EncapsulationSeedSize} bytes.");
        var ciphertext = new byte[Algorithm.CiphertextSize];
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (SodiumLibrary.crypto_kem_xwing_enc_deterministic(ciphertext, secret.WritableSpan, publicKey, randomness) != 0)
        {
            secret.Dispose();
            throw new InvalidKeyException("X-Wing encapsulation key has a low-order X25519 component.");
        }

        return new KemEncapsulation(ciphertext, secret);
    }

    public SecretBytes Decapsulate(PrivateKey privateKey, ReadOnlySpan<byte> ciphertext)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an X-Wing private key, got {privateKey.Algorithm.Name}.");
        if (ciphertext.Length != Algorithm.CiphertextSize)
            throw new MalformedInputException($"X-Wing ciphertext must be {Algorithm.CiphertextSize} bytes, not {ciphertext.Length}.");
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (SodiumLibrary.crypto_kem_xwing_dec(secret.WritableSpan, ciphertext, privateKey.Material) != 0)
        {
            secret.Dispose();
            throw new MalformedInputException("X-Wing ciphertext has a low-order X25519 component.");
        }

        return secret;
    }
}
