using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Kem;

public sealed class X25519Tests
{
    public static TheoryData<string> Providers() => KemProviders.KeyAgreements();

    public static TheoryData<string, string> ProviderPairs()
    {
        var data = new TheoryData<string, string>();
        var providers = CryptoProviders.Default.Available(KeyAgreementAlgorithm.X25519).Select(c => c.Provider).ToList();
        foreach (var a in providers)
            foreach (var b in providers)
                if (a != b) data.Add(a, b);
        return data;
    }

    [Fact]
    public void Libsodium_and_bouncycastle_both_provide_x25519()
    {
        var providers = CryptoProviders.Default.Available(KeyAgreementAlgorithm.X25519).Select(c => c.Provider).ToList();

        Assert.Equal([ProviderNames.Libsodium, ProviderNames.BouncyCastle], providers);
    }

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Both_sides_agree_across_providers(string alice, string bob)
    {
        var a = KemProviders.X25519(alice);
        var b = KemProviders.X25519(bob);
        using var aliceKey = a.GenerateKey();
        using var bobKey = b.GenerateKey();

        using var aliceSecret = a.Agree(aliceKey, bobKey.PublicKey);
        using var bobSecret = b.Agree(bobKey, aliceKey.PublicKey);
        using var crossSecret = b.Agree(aliceKey, bobKey.PublicKey);

        Assert.True(aliceSecret.FixedTimeEquals(bobSecret.Span));
        Assert.True(aliceSecret.FixedTimeEquals(crossSecret.Span));
    }

    [Theory]
    [MemberData(nameof(ProviderPairs))]
    public void Same_private_key_gives_the_same_public_key(string first, string second)
    {
        var scalar = new byte[32];
        Random.Shared.NextBytes(scalar);

        using var a = KemProviders.X25519(first).ImportPrivateKey(scalar);
        using var b = KemProviders.X25519(second).ImportPrivateKey(scalar);

        Assert.Equal(a.PublicKey, b.PublicKey);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Rejects_low_order_points(string provider)
    {
        var x25519 = KemProviders.X25519(provider);
        using var key = x25519.GenerateKey();
        byte[][] lowOrder =
        [
            new byte[32], // 0
            [1, .. new byte[31]], // 1
            Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"), // order 8
            Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"), // order 8
            Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), // p - 1
        ];

        foreach (var point in lowOrder)
            Assert.Throws<InvalidKeyException>(() => x25519.Agree(key, point));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Rejects_keys_of_the_wrong_length(string provider)
    {
        var x25519 = KemProviders.X25519(provider);
        using var key = x25519.GenerateKey();

        Assert.Throws<InvalidKeyException>(() => x25519.Agree(key, key.PublicKey.AsSpan(1)));
        Assert.Throws<InvalidKeyException>(() => x25519.Agree(key, [.. key.PublicKey, 0]));
        Assert.Throws<InvalidKeyException>(() => x25519.ImportPrivateKey(new byte[31]));
        Assert.Throws<InvalidKeyException>(() => x25519.ImportPrivateKey(new byte[33]));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Private_key_string_form_is_redacted_and_dispose_blocks_use(string provider)
    {
        var x25519 = KemProviders.X25519(provider);
        var key = x25519.GenerateKey();
        using var peer = x25519.GenerateKey();
        using var material = key.ExportPrivateMaterial();

        var text = key.ToString();

        Assert.Contains("redacted", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(material.Span), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(material.Span[..8]), text, StringComparison.OrdinalIgnoreCase);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => x25519.Agree(key, peer.PublicKey));
    }
}
