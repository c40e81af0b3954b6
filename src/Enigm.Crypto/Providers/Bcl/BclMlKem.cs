using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>
/// FIPS 203 ML-KEM-768 and ML-KEM-1024 from System.Security.Cryptography.MLKem (.NET 10; OpenSSL 3.5+
/// or Windows CNG; <see cref="MLKem.IsSupported"/> is false on older OpenSSL). The stored private key
/// is the seed d‖z; the platform key made from it is cached per key and disposed with it. The BCL has
/// no derandomised encapsulation, so <see cref="EncapsulateDeterministic"/> reports
/// <see cref="AlgorithmUnavailableException"/> and the known-answer runners count those vectors as
/// unsupported for this provider.
/// </summary>
internal sealed class BclMlKem : IKem, IKemExpandedKeyExport
{
    private readonly MLKemAlgorithm _algorithm;

    public BclMlKem(KemAlgorithm algorithm)
    {
        Algorithm = algorithm;
        _algorithm = algorithm == KemAlgorithm.MlKem768 ? MLKemAlgorithm.MLKem768
            : algorithm == KemAlgorithm.MlKem1024 ? MLKemAlgorithm.MLKem1024
            : throw new AlgorithmUnavailableException($"The BCL ML-KEM provider does not implement {algorithm.Name}.");
        if (!MLKem.IsSupported)
            throw new AlgorithmUnavailableException("System.Security.Cryptography.MLKem is not supported on this platform.");
    }

    public KemAlgorithm Algorithm { get; }

    public string Provider => ProviderNames.Bcl;

    public PrivateKey GenerateKeyPair()
    {
        using var key = Guard(() => MLKem.GenerateKey(_algorithm));
        return FromPlatformKey(key);
    }

    public PrivateKey DeriveKeyPair(ReadOnlySpan<byte> seed)
    {
        MlKemInputChecks.CheckSeed(Algorithm, seed);
        var seedCopy = seed.ToArray();
        try
        {
            using var key = Guard(() => MLKem.ImportPrivateSeed(_algorithm, seedCopy));
            return FromPlatformKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seedCopy);
        }
    }

    public PrivateKey ImportExpandedPrivateKey(ReadOnlySpan<byte> expandedPrivateKey)
    {
        MlKemInputChecks.CheckDecapsulationKey(Algorithm, expandedPrivateKey);
        var dk = expandedPrivateKey.ToArray();
        try
        {
            var platformKey = Guard(() => MLKem.ImportDecapsulationKey(_algorithm, dk));
            var publicKey = MlKemInputChecks.EncapsulationKeyOf(Algorithm, expandedPrivateKey).ToArray();
            var key = new PrivateKey(Algorithm, SecretBytes.CopyFrom(expandedPrivateKey), PrivateKeyFormat.Expanded, publicKey);
            key.GetOrCreateProviderState(_ => platformKey);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dk);
        }
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => MlKemInputChecks.CheckEncapsulationKey(Algorithm, publicKey);

    public KemEncapsulation Encapsulate(ReadOnlySpan<byte> publicKey)
    {
        ValidatePublicKey(publicKey);
        var encoded = publicKey.ToArray();
        using var key = Guard(() => MLKem.ImportEncapsulationKey(_algorithm, encoded));
        var ciphertext = new byte[Algorithm.CiphertextSize];
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        try
        {
            key.Encapsulate(ciphertext, secret.WritableSpan);
            return new KemEncapsulation(ciphertext, secret);
        }
        catch (CryptographicException e)
        {
            secret.Dispose();
            throw new InvalidKeyException($"{Algorithm.Name} encapsulation key rejected by the platform.", e);
        }
    }

    public KemEncapsulation EncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> randomness) =>
        throw new AlgorithmUnavailableException("System.Security.Cryptography.MLKem has no derandomised encapsulation.");

    public SecretBytes Decapsulate(PrivateKey privateKey, ReadOnlySpan<byte> ciphertext)
    {
        CheckKey(privateKey);
        MlKemInputChecks.CheckCiphertext(Algorithm, ciphertext);
        var key = PlatformKey(privateKey);
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        try
        {
            // FIPS 203 6.3: a ciphertext that fails re-encryption yields the implicit-rejection key, not an error.
            key.Decapsulate(ciphertext, secret.WritableSpan);
            return secret;
        }
        catch (CryptographicException e)
        {
            secret.Dispose();
            throw new DecryptionFailedException($"{Algorithm.Name} decapsulation failed on the platform.", e);
        }
    }

    public SecretBytes ExportExpandedPrivateKey(PrivateKey privateKey)
    {
        CheckKey(privateKey);
        var key = PlatformKey(privateKey);
        var dk = new SecretBytes(Algorithm.ExpandedPrivateKeySize);
        Guard(() =>
        {
            key.ExportDecapsulationKey(dk.WritableSpan);
            return key;
        });
        return dk;
    }

    private MLKem PlatformKey(PrivateKey privateKey) =>
        privateKey.GetOrCreateProviderState(k =>
        {
            var material = k.Material.ToArray();
            try
            {
                return k.Format == PrivateKeyFormat.Seed
                    ? Guard(() => MLKem.ImportPrivateSeed(_algorithm, material))
                    : Guard(() => MLKem.ImportDecapsulationKey(_algorithm, material));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(material);
            }
        });

    private PrivateKey FromPlatformKey(MLKem key)
    {
        var seed = new SecretBytes(Algorithm.SeedSize);
        key.ExportPrivateSeed(seed.WritableSpan);
        return new PrivateKey(Algorithm, seed, PrivateKeyFormat.Seed, key.ExportEncapsulationKey());
    }

    private void CheckKey(PrivateKey privateKey)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an {Algorithm.Name} private key, got {privateKey.Algorithm.Name}.");
    }

    private T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (CryptographicException e)
        {
            throw new InvalidKeyException($"{Algorithm.Name} key rejected by the platform.", e);
        }
    }
}
