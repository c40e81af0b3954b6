using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.Kem;

/// <summary>ML-KEM keys and ciphertexts made by one provider are accepted by every other one.</summary>
public sealed class MlKemInteropTests
{
    public static TheoryData<string, string, string> ProviderPairs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var algorithm in new[] { KemAlgorithm.MlKem768, KemAlgorithm.MlKem1024 })
        {
            var providers = CryptoProviders.Default.Available(algorithm).Select(c => c.Provider).ToList();
            foreach (var a in providers)
                foreach (var b in providers)
                    if (a != b) data.Add(algorithm.Name, a, b);
        }

        return data;
    }

    [Fact]
    public void Libsodium_and_bouncycastle_both_provide_ml_kem_768()
    {
        var providers = CryptoProviders.Default.Available(KemAlgorithm.MlKem768).Select(c => c.Provider).ToList();

        Assert.Contains(ProviderNames.Libsodium, providers);
        Assert.Contains(ProviderNames.BouncyCastle, providers);
    }

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Same_seed_gives_the_same_key_pair(string algorithm, string first, string second)
    {
        var a = KemProviders.Create(algorithm, first);
        var b = KemProviders.Create(algorithm, second);
        var seed = new byte[64];
        Random.Shared.NextBytes(seed);

        using var keyA = a.DeriveKeyPair(seed);
        using var keyB = b.DeriveKeyPair(seed);

        Assert.Equal(keyA.PublicKey, keyB.PublicKey);
        if (a is IKemExpandedKeyExport exportA && b is IKemExpandedKeyExport exportB)
        {
            using var dkA = exportA.ExportExpandedPrivateKey(keyA);
            using var dkB = exportB.ExportExpandedPrivateKey(keyB);
            Assert.True(dkA.FixedTimeEquals(dkB.Span));
        }
    }

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Ciphertext_from_one_provider_decapsulates_in_the_other(string algorithm, string encapsulator, string decapsulator)
    {
        var sender = KemProviders.Create(algorithm, encapsulator);
        var receiver = KemProviders.Create(algorithm, decapsulator);
        using var key = receiver.GenerateKeyPair();

        using var sent = sender.Encapsulate(key.PublicKey);
        using var received = receiver.Decapsulate(key, sent.Ciphertext);

        Assert.True(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Private_key_from_one_provider_decapsulates_in_the_other(string algorithm, string generator, string user)
    {
        var a = KemProviders.Create(algorithm, generator);
        var b = KemProviders.Create(algorithm, user);
        using var key = a.GenerateKeyPair();
        using var sent = a.Encapsulate(key.PublicKey);

        using var received = b.Decapsulate(key, sent.Ciphertext);

        Assert.True(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Expanded_key_exported_by_one_provider_imports_in_the_other(string algorithm, string exporter, string importer)
    {
        var a = KemProviders.Create(algorithm, exporter);
        var b = KemProviders.Create(algorithm, importer);
        Assert.IsAssignableFrom<IKemExpandedKeyExport>(a);
        using var key = a.GenerateKeyPair();
        using var dk = ((IKemExpandedKeyExport)a).ExportExpandedPrivateKey(key);
        using var sent = a.Encapsulate(key.PublicKey);

        using var imported = b.ImportExpandedPrivateKey(dk.Span);
        using var received = b.Decapsulate(imported, sent.Ciphertext);

        Assert.Equal(PrivateKeyFormat.Expanded, imported.Format);
        Assert.Equal(key.PublicKey, imported.PublicKey);
        Assert.True(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Rejects_expanded_key_with_a_corrupted_hash_or_length(string algorithm, string provider)
    {
        var kem = KemProviders.Create(algorithm, provider);
        using var key = kem.GenerateKeyPair();
        using var dk = ((IKemExpandedKeyExport)kem).ExportExpandedPrivateKey(key);
        var corrupted = dk.ToArrayUnsafe();
        // FIPS 203 7.3: H(ek) sits at dk[768k+32 : 768k+64], i.e. 64 bytes from the end.
        corrupted[^40] ^= 0x80;

        Assert.Throws<InvalidKeyException>(() => kem.ImportExpandedPrivateKey(corrupted));
        Assert.Throws<InvalidKeyException>(() => kem.ImportExpandedPrivateKey(dk.Span[1..]));
        Assert.Throws<InvalidKeyException>(() => kem.ImportExpandedPrivateKey([.. dk.Span, 0]));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(corrupted);
    }

    public static TheoryData<string, string> Providers()
    {
        var data = new TheoryData<string, string>();
        foreach (var algorithm in new[] { KemAlgorithm.MlKem768, KemAlgorithm.MlKem1024 })
            foreach (var candidate in CryptoProviders.Default.Available(algorithm))
                data.Add(algorithm.Name, candidate.Provider);
        return data;
    }
}
