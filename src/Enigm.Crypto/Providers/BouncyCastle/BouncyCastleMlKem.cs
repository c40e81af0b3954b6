using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using SecureRandom = Org.BouncyCastle.Security.SecureRandom;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// FIPS 203 ML-KEM-768 and ML-KEM-1024 from BouncyCastle (managed). The stored private key is the seed
/// d‖z. BouncyCastle's key objects keep their own unzeroable copies, so they are made per operation and
/// never cached; what a seed key caches is the FIPS 203 expanded key dk, as the libsodium ML-KEM-768 provider
/// does, in a pinned buffer zeroed when the key is disposed: <see cref="DeriveKeyPair"/> keeps the dk its key
/// generation just computed, so a decapsulation does not re-run ML-KEM.KeyGen from the seed (≈ 95 µs of ≈ 250 µs
/// for ML-KEM-1024, docs/benchmarks.md messaging "Fourth pass"). The FIPS 203 7.2/7.3 input checks run here first
/// (<see cref="MlKemInputChecks"/>), so the result does not depend on which checks this BouncyCastle version makes.
/// </summary>
internal sealed class BouncyCastleMlKem : IKem, IKemExpandedKeyExport
{
    private const int MessageSize = 32;
    private readonly MLKemParameters _parameters;

    public BouncyCastleMlKem(KemAlgorithm algorithm)
    {
        Algorithm = algorithm;
        _parameters = algorithm == KemAlgorithm.MlKem768 ? MLKemParameters.ml_kem_768
            : algorithm == KemAlgorithm.MlKem1024 ? MLKemParameters.ml_kem_1024
            : throw new AlgorithmUnavailableException($"BouncyCastle ML-KEM does not implement {algorithm.Name}.");
    }

    public KemAlgorithm Algorithm { get; }

    public string Provider => ProviderNames.BouncyCastle;

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
        var seedCopy = seed.ToArray();
        try
        {
            var parameters = Guard(() => MLKemPrivateKeyParameters.FromSeed(_parameters, seedCopy));
            var key = new PrivateKey(Algorithm, SecretBytes.CopyFrom(seed), PrivateKeyFormat.Seed, parameters.GetPublicKeyEncoded());
            key.GetOrCreateProviderState(_ => ExpandedKey.Of(parameters));
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seedCopy);
        }
    }

    public PrivateKey ImportExpandedPrivateKey(ReadOnlySpan<byte> expandedPrivateKey)
    {
        MlKemInputChecks.CheckDecapsulationKey(Algorithm, expandedPrivateKey);
        var publicKey = MlKemInputChecks.EncapsulationKeyOf(Algorithm, expandedPrivateKey).ToArray();
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(expandedPrivateKey), PrivateKeyFormat.Expanded, publicKey);
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => MlKemInputChecks.CheckEncapsulationKey(Algorithm, publicKey);

    public KemEncapsulation Encapsulate(ReadOnlySpan<byte> publicKey) => Encapsulate(publicKey, new SecureRandom());

    public KemEncapsulation EncapsulateDeterministic(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> randomness)
    {
        if (randomness.Length != MessageSize)
            throw new MalformedInputException($"ML-KEM encapsulation randomness m must be {MessageSize} bytes.");
        return Encapsulate(publicKey, new FixedRandom(randomness));
    }

    public SecretBytes Decapsulate(PrivateKey privateKey, ReadOnlySpan<byte> ciphertext)
    {
        CheckKey(privateKey);
        MlKemInputChecks.CheckCiphertext(Algorithm, ciphertext);
        var parameters = ToParameters(privateKey);
        var decapsulator = new MLKemDecapsulator(_parameters);
        decapsulator.Init(parameters);
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        try
        {
            // FIPS 203 6.3: a ciphertext that fails re-encryption yields the implicit-rejection key, not an error.
            decapsulator.Decapsulate(ciphertext, secret.WritableSpan);
            return secret;
        }
        catch (Exception e) when (e is not EnigmException)
        {
            secret.Dispose();
            throw new DecryptionFailedException("BouncyCastle ML-KEM decapsulation failed.", e);
        }
    }

    public SecretBytes ExportExpandedPrivateKey(PrivateKey privateKey)
    {
        CheckKey(privateKey);
        if (privateKey.Format == PrivateKeyFormat.Expanded) return SecretBytes.CopyFrom(privateKey.Material);
        return SecretBytes.CopyFrom(privateKey.GetOrCreateProviderState(key => ExpandedKey.Of(FromSeed(key))).Dk.Span);
    }

    private KemEncapsulation Encapsulate(ReadOnlySpan<byte> publicKey, SecureRandom random)
    {
        ValidatePublicKey(publicKey);
        var encoded = publicKey.ToArray();
        var key = Guard(() => MLKemPublicKeyParameters.FromEncoding(_parameters, encoded));
        var encapsulator = new MLKemEncapsulator(_parameters);
        encapsulator.Init(new ParametersWithRandom(key, random));
        var ciphertext = new byte[Algorithm.CiphertextSize];
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        try
        {
            encapsulator.Encapsulate(ciphertext, secret.WritableSpan);
            return new KemEncapsulation(ciphertext, secret);
        }
        catch (Exception e) when (e is not EnigmException)
        {
            secret.Dispose();
            throw new InvalidKeyException($"{Algorithm.Name} encapsulation key rejected by BouncyCastle.", e);
        }
    }

    /// <summary>
    /// BouncyCastle's key object for one operation, from the dk: the key's own material when it was imported
    /// expanded, else the dk cached with the seed key (expanded from the seed once, if the key was not made by
    /// <see cref="DeriveKeyPair"/>).
    /// </summary>
    private MLKemPrivateKeyParameters ToParameters(PrivateKey privateKey)
    {
        var dk = privateKey.Format == PrivateKeyFormat.Expanded
            ? privateKey.Material
            : privateKey.GetOrCreateProviderState(key => ExpandedKey.Of(FromSeed(key))).Dk.Span;
        var material = dk.ToArray();
        try
        {
            return Guard(() => MLKemPrivateKeyParameters.FromEncoding(_parameters, material));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    private MLKemPrivateKeyParameters FromSeed(PrivateKey privateKey)
    {
        var material = privateKey.Material.ToArray();
        try
        {
            return Guard(() => MLKemPrivateKeyParameters.FromSeed(_parameters, material));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    private void CheckKey(PrivateKey privateKey)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an {Algorithm.Name} private key, got {privateKey.Algorithm.Name}.");
    }

    /// <summary>BouncyCastle reports bad encodings with ArgumentException and friends; Enigm reports InvalidKeyException.</summary>
    private T Guard<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or CryptoException or FormatException)
        {
            throw new InvalidKeyException($"{Algorithm.Name} key rejected by BouncyCastle.", e);
        }
    }

    /// <summary>
    /// Hands BouncyCastle's encapsulator the caller's m (FIPS 203 6.2 Encaps_internal) in place of
    /// fresh randomness; used only for known-answer tests. Asking for more than was given is a bug.
    /// </summary>
    private sealed class FixedRandom(ReadOnlySpan<byte> bytes) : SecureRandom
    {
        private readonly byte[] _bytes = bytes.ToArray();
        private int _offset;

        public override void NextBytes(byte[] buf) => NextBytes(buf.AsSpan());

        public override void NextBytes(byte[] buf, int off, int len) => NextBytes(buf.AsSpan(off, len));

        public override void NextBytes(Span<byte> buffer)
        {
            if (_offset + buffer.Length > _bytes.Length)
                throw new InvalidOperationException("Fixed randomness exhausted.");
            _bytes.AsSpan(_offset, buffer.Length).CopyTo(buffer);
            _offset += buffer.Length;
        }
    }

    /// <summary>The FIPS 203 dk of a seed key, cached with it (<see cref="PrivateKey"/> disposes, so zeroes, it).</summary>
    internal sealed class ExpandedKey(SecretBytes dk) : IDisposable
    {
        public SecretBytes Dk { get; } = dk;

        public static ExpandedKey Of(MLKemPrivateKeyParameters parameters)
        {
            var encoded = parameters.WithPreferredFormat(MLKemPrivateKeyParameters.Format.EncodingOnly).GetEncoded();
            try
            {
                return new ExpandedKey(SecretBytes.CopyFrom(encoded));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(encoded);
            }
        }

        public void Dispose() => Dk.Dispose();
    }
}
