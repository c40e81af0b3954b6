using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// FIPS 203 ML-KEM-768 from libsodium 1.0.22. The stored private key is the seed d‖z; libsodium's
/// decapsulation needs the expanded key (its sk is the FIPS 203 dk), which is computed once per key
/// and cached, zeroed with the key. libsodium performs the 7.2 modulus check in encapsulation but not
/// the 7.3 checks in decapsulation, so those run here (<see cref="MlKemInputChecks"/>).
/// </summary>
internal sealed class SodiumMlKem768 : IKem, IKemExpandedKeyExport
{
    private const int MessageSize = 32;

    public SodiumMlKem768() => SodiumLibrary.EnsureAvailable();

    public KemAlgorithm Algorithm => KemAlgorithm.MlKem768;

    public string Provider => ProviderNames.Libsodium;

    public PrivateKey GenerateKeyPair()
    {
        Span<byte> seed = stackalloc byte[64];
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
        MlKemInputChecks.CheckSeed(Algorithm, seed);
        var publicKey = new byte[Algorithm.PublicKeySize];
        var expanded = new SecretBytes(Algorithm.ExpandedPrivateKeySize);
        if (SodiumLibrary.crypto_kem_mlkem768_seed_keypair(publicKey, expanded.WritableSpan, seed) != 0)
        {
            expanded.Dispose();
            throw new InvalidKeyException("libsodium ML-KEM-768 key generation failed.");
        }

        var key = new PrivateKey(Algorithm, SecretBytes.CopyFrom(seed), PrivateKeyFormat.Seed, publicKey);
        // Cache the expanded key we just computed instead of recomputing it at first decapsulation.
        key.GetOrCreateProviderState(_ => new SecretState(expanded));
        return key;
    }

    public PrivateKey ImportExpandedPrivateKey(ReadOnlySpan<byte> expandedPrivateKey)
    {
        MlKemInputChecks.CheckDecapsulationKey(Algorithm, expandedPrivateKey);
        var publicKey = MlKemInputChecks.EncapsulationKeyOf(Algorithm, expandedPrivateKey).ToArray();
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(expandedPrivateKey), PrivateKeyFormat.Expanded, publicKey);
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => MlKemInputChecks.CheckEncapsulationKey(Algorithm, publicKey);

    public KemEncapsulation Encapsulate(ReadOnlySpan<byte> publicKey)
    {
        ValidatePublicKey(publicKey);
        var ciphertext = new byte[Algorithm.CiphertextSize];
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (SodiumLibrary.crypto_kem_mlkem768_enc(ciphertext, secret.WritableSpan, publicKey) != 0)
        {
            secret.Dispose();
            throw new InvalidKeyException("ML-KEM-768 encapsulation key rejected by libsodium.");
        }

        return new KemEncapsulation(ciphertext, secret);
    }

    public KemEncapsulation EncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> randomness)
    {
        ValidatePublicKey(publicKey);
        if (randomness.Length != MessageSize)
            throw new MalformedInputException($"ML-KEM encapsulation randomness m must be {MessageSize} bytes.");
        var ciphertext = new byte[Algorithm.CiphertextSize];
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (SodiumLibrary.crypto_kem_mlkem768_enc_deterministic(ciphertext, secret.WritableSpan, publicKey, randomness) != 0)
        {
            secret.Dispose();
            throw new InvalidKeyException("ML-KEM-768 encapsulation key rejected by libsodium.");
        }

        return new KemEncapsulation(ciphertext, secret);
    }

    public SecretBytes Decapsulate(PrivateKey privateKey, ReadOnlySpan<byte> ciphertext)
    {
        CheckKey(privateKey);
        MlKemInputChecks.CheckCiphertext(Algorithm, ciphertext);
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        // FIPS 203 6.3: a ciphertext that fails re-encryption yields the implicit-rejection key, not an error.
        var result = SodiumLibrary.crypto_kem_mlkem768_dec(secret.WritableSpan, ciphertext, ExpandedKey(privateKey));
        if (result != 0)
        {
            secret.Dispose();
            throw new DecryptionFailedException("libsodium ML-KEM-768 decapsulation failed.");
        }

        return secret;
    }

    public SecretBytes ExportExpandedPrivateKey(PrivateKey privateKey)
    {
        CheckKey(privateKey);
        return SecretBytes.CopyFrom(ExpandedKey(privateKey));
    }

    /// <summary>The FIPS 203 dk: the material itself for an imported dk, else expanded from d‖z once and cached.</summary>
    private ReadOnlySpan<byte> ExpandedKey(PrivateKey privateKey)
    {
        if (privateKey.Format == PrivateKeyFormat.Expanded) return privateKey.Material;
        var state = privateKey.GetOrCreateProviderState(key =>
        {
            var expanded = new SecretBytes(Algorithm.ExpandedPrivateKeySize);
            Span<byte> publicKey = stackalloc byte[Algorithm.PublicKeySize];
            if (SodiumLibrary.crypto_kem_mlkem768_seed_keypair(publicKey, expanded.WritableSpan, key.Material) != 0)
            {
                expanded.Dispose();
                throw new InvalidKeyException("libsodium ML-KEM-768 key expansion failed.");
            }

            return new SecretState(expanded);
        });
        return state.Secret.Span;
    }

    private void CheckKey(PrivateKey privateKey)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an {Algorithm.Name} private key, got {privateKey.Algorithm.Name}.");
    }
}
