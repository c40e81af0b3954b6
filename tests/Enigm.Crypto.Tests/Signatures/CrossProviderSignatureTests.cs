using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.Signatures;

/// <summary>Keys and signatures made by one provider are accepted by the other.</summary>
public sealed class CrossProviderSignatureTests
{
    private static readonly byte[] Message = "cross-provider interop"u8.ToArray();

    private static ISignatureScheme Create(SignatureAlgorithm algorithm, string provider) =>
        CryptoProviders.Default.Create<ISignatureScheme>(algorithm, provider);

    [Fact]
    public void Libsodium_and_BouncyCastle_Ed25519_agree_byte_for_byte()
    {
        var sodium = Create(SignatureAlgorithm.Ed25519, ProviderNames.Libsodium);
        var bouncy = Create(SignatureAlgorithm.Ed25519, ProviderNames.BouncyCastle);
        using var sodiumKey = sodium.GenerateKey();
        using var seed = sodiumKey.ExportPrivateMaterial();
        using var bouncyKey = bouncy.ImportPrivateKey(seed.Span, PrivateKeyFormat.Seed);

        Assert.Equal(sodiumKey.PublicKey, bouncyKey.PublicKey);
        var fromSodium = sodium.Sign(sodiumKey, Message);
        var fromBouncy = bouncy.Sign(bouncyKey, Message);
        // RFC 8032 signing is deterministic, so both libraries must produce the same bytes.
        Assert.Equal(fromSodium, fromBouncy);
        Assert.True(bouncy.Verify(sodiumKey.PublicKey, Message, fromSodium));
        Assert.True(sodium.Verify(bouncyKey.PublicKey, Message, fromBouncy));
    }

    [Fact]
    public void Rfc8032_test_1_signs_identically_in_both_providers()
    {
        // RFC 8032 §7.1 TEST 1 (empty message).
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var publicKey = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        var signature = Convert.FromHexString(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        foreach (var provider in new[] { ProviderNames.Libsodium, ProviderNames.BouncyCastle })
        {
            var scheme = Create(SignatureAlgorithm.Ed25519, provider);
            using var key = scheme.ImportPrivateKey(seed);
            Assert.Equal(publicKey, key.PublicKey);
            Assert.Equal(signature, scheme.Sign(key, []));
        }
    }

    [Fact]
    public void Bcl_and_BouncyCastle_ECDSA_P384_interoperate()
    {
        var bcl = Create(SignatureAlgorithm.EcdsaP384, ProviderNames.Bcl);
        var bouncy = Create(SignatureAlgorithm.EcdsaP384, ProviderNames.BouncyCastle);
        using var bclKey = bcl.GenerateKey();
        using var scalar = bclKey.ExportPrivateMaterial();
        using var bouncyKey = bouncy.ImportPrivateKey(scalar.Span, PrivateKeyFormat.Expanded);

        Assert.Equal(bclKey.PublicKey, bouncyKey.PublicKey);
        Assert.True(bouncy.Verify(bclKey.PublicKey, Message, bcl.Sign(bclKey, Message)));
        Assert.True(bcl.Verify(bouncyKey.PublicKey, Message, bouncy.Sign(bouncyKey, Message)));
    }

    [Theory]
    [InlineData("ML-DSA-65")]
    [InlineData("ML-DSA-87")]
    public void Every_ml_dsa_provider_accepts_every_other_providers_signatures(string name)
    {
        var algorithm = SignatureAlgorithm.All.Single(a => a.Name == name);
        var providers = CryptoProviders.Default.Available(algorithm).Select(c => Create(algorithm, c.Provider)).ToList();
        foreach (var signer in providers)
        {
            using var key = signer.GenerateKey();
            var signature = signer.Sign(key, Message, "ctx"u8);
            foreach (var verifier in providers)
                Assert.True(verifier.Verify(key.PublicKey, Message, signature, "ctx"u8), $"{verifier.Provider} rejected {signer.Provider}");
        }
    }

    [Fact]
    public void Composite_signatures_verify_whichever_component_providers_are_selected()
    {
        var algorithm = SignatureAlgorithm.MlDsa65Ed25519;
        var viaSodium = CryptoProviders.Default.WithProvider(SignatureAlgorithm.Ed25519, ProviderNames.Libsodium).Signature(algorithm);
        var viaBouncy = CryptoProviders.Default.WithProvider(SignatureAlgorithm.Ed25519, ProviderNames.BouncyCastle).Signature(algorithm);
        using var key = viaSodium.GenerateKey();

        Assert.True(viaBouncy.Verify(key.PublicKey, Message, viaSodium.Sign(key, Message)));
        using var material = key.ExportPrivateMaterial();
        using var imported = viaBouncy.ImportPrivateKey(material.Span);
        Assert.True(viaSodium.Verify(key.PublicKey, Message, viaBouncy.Sign(imported, Message)));
    }

    [Fact]
    public void Composite_ECDSA_half_interoperates_between_Bcl_and_BouncyCastle()
    {
        var algorithm = SignatureAlgorithm.MlDsa87EcdsaP384;
        var viaBcl = CryptoProviders.Default.WithProvider(SignatureAlgorithm.EcdsaP384, ProviderNames.Bcl).Signature(algorithm);
        var viaBouncy = CryptoProviders.Default.WithProvider(SignatureAlgorithm.EcdsaP384, ProviderNames.BouncyCastle).Signature(algorithm);
        using var key = viaBcl.GenerateKey();

        Assert.True(viaBouncy.Verify(key.PublicKey, Message, viaBcl.Sign(key, Message)));
        using var material = key.ExportPrivateMaterial();
        using var imported = viaBouncy.ImportPrivateKey(material.Span);
        Assert.True(viaBcl.Verify(key.PublicKey, Message, viaBouncy.Sign(imported, Message)));
    }
}
