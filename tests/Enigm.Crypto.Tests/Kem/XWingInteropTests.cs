using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Kem;

/// <summary>libsodium's X-Wing and the composed X-Wing are interchangeable, whatever the composed one is built from.</summary>
public sealed class XWingInteropTests
{
    /// <summary>Composed X-Wing on each ML-KEM-768 / X25519 provider combination, plus libsodium's X-Wing.</summary>
    public static TheoryData<string, string> Implementations()
    {
        var data = new TheoryData<string, string>();
        foreach (var mlKem in CryptoProviders.Default.Available(KemAlgorithm.MlKem768))
            foreach (var x25519 in CryptoProviders.Default.Available(KeyAgreementAlgorithm.X25519))
                data.Add(mlKem.Provider, x25519.Provider);
        return data;
    }

    private static IKem Libsodium() => CryptoProviders.Default.Create<IKem>(KemAlgorithm.XWing, ProviderNames.Libsodium);

    private static IKem Composed(string mlKem, string x25519) =>
        CryptoProviders.Default
            .WithProvider(KemAlgorithm.MlKem768, mlKem)
            .WithProvider(KeyAgreementAlgorithm.X25519, x25519)
            .Create<IKem>(KemAlgorithm.XWing, ProviderNames.Composed);

    [Fact]
    public void Composed_x_wing_is_preferred_over_libsodium_because_it_decapsulates_with_a_cached_expansion()
    {
        Assert.Equal(ProviderNames.Composed, CryptoProviders.Default.SelectedProvider(KemAlgorithm.XWing));
        Assert.Contains(CryptoProviders.Default.Available(KemAlgorithm.XWing), c => c.Provider == ProviderNames.Libsodium);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Libsodium_ciphertext_decapsulates_in_composed(string mlKem, string x25519)
    {
        var composed = Composed(mlKem, x25519);
        using var key = composed.GenerateKeyPair();

        using var sent = Libsodium().Encapsulate(key.PublicKey);
        using var received = composed.Decapsulate(key, sent.Ciphertext);

        Assert.True(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Composed_ciphertext_decapsulates_in_libsodium(string mlKem, string x25519)
    {
        var sodium = Libsodium();
        using var key = sodium.GenerateKeyPair();

        using var sent = Composed(mlKem, x25519).Encapsulate(key.PublicKey);
        using var received = sodium.Decapsulate(key, sent.Ciphertext);

        Assert.True(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Same_seed_gives_the_same_public_key(string mlKem, string x25519)
    {
        var seed = new byte[32];
        Random.Shared.NextBytes(seed);

        using var fromSodium = Libsodium().DeriveKeyPair(seed);
        using var fromComposed = Composed(mlKem, x25519).DeriveKeyPair(seed);

        Assert.Equal(fromSodium.PublicKey, fromComposed.PublicKey);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Deterministic_encapsulation_matches_libsodium(string mlKem, string x25519)
    {
        var eseed = new byte[64];
        Random.Shared.NextBytes(eseed);
        using var key = Libsodium().GenerateKeyPair();

        using var fromSodium = Libsodium().EncapsulateDeterministic(key.PublicKey, eseed);
        using var fromComposed = Composed(mlKem, x25519).EncapsulateDeterministic(key.PublicKey, eseed);

        Assert.Equal(fromSodium.Ciphertext, fromComposed.Ciphertext);
        Assert.True(fromSodium.SharedSecret.FixedTimeEquals(fromComposed.SharedSecret.Span));
    }

    public static TheoryData<string> XWingProviders()
    {
        var data = new TheoryData<string>();
        foreach (var candidate in CryptoProviders.Default.Available(KemAlgorithm.XWing))
            data.Add(candidate.Provider);
        return data;
    }

    [Theory]
    [MemberData(nameof(XWingProviders))]
    public void Rejects_encapsulation_key_with_a_low_order_x25519_part(string provider)
    {
        var kem = CryptoProviders.Default.Create<IKem>(KemAlgorithm.XWing, provider);
        using var key = kem.GenerateKeyPair();
        var bad = (byte[])key.PublicKey.Clone();
        bad.AsSpan(1184).Clear(); // u = 0 is a point of order 1 (RFC 7748 6.1 all-zero result)

        Assert.Throws<InvalidKeyException>(() => kem.Encapsulate(bad));
    }

    [Theory]
    [MemberData(nameof(XWingProviders))]
    public void Rejects_ciphertext_with_a_low_order_x25519_part(string provider)
    {
        var kem = CryptoProviders.Default.Create<IKem>(KemAlgorithm.XWing, provider);
        using var key = kem.GenerateKeyPair();
        using var sent = kem.Encapsulate(key.PublicKey);
        var bad = (byte[])sent.Ciphertext.Clone();
        bad.AsSpan(1088).Clear();
        bad[1088] = 1; // u = 1 has order 4 on Curve25519

        Assert.Throws<MalformedInputException>(() => kem.Decapsulate(key, bad));
    }

    [Theory]
    [MemberData(nameof(XWingProviders))]
    public void Tampered_x25519_part_gives_a_different_secret_not_an_exception(string provider)
    {
        var kem = CryptoProviders.Default.Create<IKem>(KemAlgorithm.XWing, provider);
        using var key = kem.GenerateKeyPair();
        using var sent = kem.Encapsulate(key.PublicKey);
        var tampered = (byte[])sent.Ciphertext.Clone();
        tampered[1100] ^= 0x01;

        using var received = kem.Decapsulate(key, tampered);

        Assert.False(received.FixedTimeEquals(sent.SharedSecret.Span));
    }

    [Theory]
    [MemberData(nameof(XWingProviders))]
    public void Imports_only_the_32_byte_decapsulation_key(string provider)
    {
        var kem = CryptoProviders.Default.Create<IKem>(KemAlgorithm.XWing, provider);
        var seed = new byte[32];
        Random.Shared.NextBytes(seed);
        using var derived = kem.DeriveKeyPair(seed);

        using var imported = kem.ImportExpandedPrivateKey(seed);

        Assert.Equal(derived.PublicKey, imported.PublicKey);
        Assert.Throws<InvalidKeyException>(() => kem.ImportExpandedPrivateKey(new byte[KemAlgorithm.MlKem768.ExpandedPrivateKeySize + 32]));
    }
}
