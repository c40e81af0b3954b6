using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.Signatures;

/// <summary>The ISignatureScheme contract, checked for every provider of every algorithm in this slice.</summary>
public sealed class SignatureSchemeContractTests
{
    private static readonly SignatureAlgorithm[] Algorithms =
    [
        SignatureAlgorithm.Ed25519, SignatureAlgorithm.EcdsaP384, SignatureAlgorithm.MlDsa65, SignatureAlgorithm.MlDsa87,
        SignatureAlgorithm.MlDsa65Ed25519, SignatureAlgorithm.MlDsa87EcdsaP384,
    ];

    private static readonly byte[] Message = "release manifest v1"u8.ToArray();

    public static TheoryData<string, string> AlgorithmsAndProviders()
    {
        var data = new TheoryData<string, string>();
        foreach (var algorithm in Algorithms)
            foreach (var candidate in CryptoProviders.Default.Available(algorithm))
                data.Add(algorithm.Name, candidate.Provider);
        return data;
    }

    private static ISignatureScheme Scheme(string algorithm, string provider) =>
        CryptoProviders.Default.Create<ISignatureScheme>(SignatureAlgorithm.All.Single(a => a.Name == algorithm), provider);

    private static bool HasContext(SignatureAlgorithm algorithm) =>
        algorithm != SignatureAlgorithm.Ed25519 && algorithm != SignatureAlgorithm.EcdsaP384;

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void Signs_and_verifies_and_rejects_tampered_message(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);

        Assert.InRange(signature.Length, scheme.Algorithm.MinSignatureSize, scheme.Algorithm.MaxSignatureSize);
        Assert.Equal(scheme.Algorithm.PublicKeySize, key.PublicKey.Length);
        Assert.True(scheme.Verify(key.PublicKey, Message, signature));
        var tampered = (byte[])Message.Clone();
        tampered[0] ^= 1;
        Assert.False(scheme.Verify(key.PublicKey, tampered, signature));
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void Truncated_oversized_and_flipped_signatures_return_false(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);

        Assert.False(scheme.Verify(key.PublicKey, Message, signature[..^1]));
        Assert.False(scheme.Verify(key.PublicKey, Message, [.. signature, 0]));
        Assert.False(scheme.Verify(key.PublicKey, Message, []));
        Assert.False(scheme.Verify(key.PublicKey, Message, new byte[scheme.Algorithm.MaxSignatureSize]));
        foreach (var position in new[] { 0, signature.Length / 2, signature.Length - 1 })
        {
            var flipped = (byte[])signature.Clone();
            flipped[position] ^= 0x40;
            Assert.False(scheme.Verify(key.PublicKey, Message, flipped));
        }
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void Malformed_public_keys_throw_InvalidKeyException(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);

        Assert.Throws<InvalidKeyException>(() => scheme.Verify(key.PublicKey[..^1], Message, signature));
        Assert.Throws<InvalidKeyException>(() => scheme.Verify([.. key.PublicKey, 0], Message, signature));
        Assert.Throws<InvalidKeyException>(() => scheme.ValidatePublicKey([]));
        scheme.ValidatePublicKey(key.PublicKey);
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void Wrong_length_private_keys_throw_InvalidKeyException(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        using var key = scheme.GenerateKey();
        using var material = key.ExportPrivateMaterial();

        Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey(material.Span[..^1], key.Format));
        Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey([], key.Format));
        using var again = scheme.ImportPrivateKey(material.Span, key.Format);
        Assert.Equal(key.PublicKey, again.PublicKey);
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void Context_is_bound_to_the_signature(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        using var key = scheme.GenerateKey();
        if (!HasContext(scheme.Algorithm))
        {
            Assert.Throws<MalformedInputException>(() => scheme.Sign(key, Message, "A"u8));
            Assert.False(scheme.Verify(key.PublicKey, Message, scheme.Sign(key, Message), "A"u8));
            return;
        }

        var signature = scheme.Sign(key, Message, "context A"u8);
        Assert.True(scheme.Verify(key.PublicKey, Message, signature, "context A"u8));
        Assert.False(scheme.Verify(key.PublicKey, Message, signature, "context B"u8));
        Assert.False(scheme.Verify(key.PublicKey, Message, signature));
        Assert.Throws<MalformedInputException>(() => scheme.Sign(key, Message, new byte[256]));
        Assert.False(scheme.Verify(key.PublicKey, Message, signature, new byte[256]));
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void Keys_of_another_algorithm_are_refused(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        var other = Algorithms.First(a => a.Name != algorithm);
        using var foreign = CryptoProviders.Default.Signature(other).GenerateKey();

        Assert.Throws<InvalidKeyException>(() => scheme.Sign(foreign, Message));
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void ToString_redacts_private_material(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        using var key = scheme.GenerateKey();
        using var material = key.ExportPrivateMaterial();
        var text = key.ToString();

        Assert.Contains("redacted", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(material.Span[..8]), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(material.Span[..8])[..8], text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AlgorithmsAndProviders))]
    public void Random_garbage_never_throws_from_verify(string algorithm, string provider)
    {
        var scheme = Scheme(algorithm, provider);
        using var key = scheme.GenerateKey();
        foreach (var length in new[] { 1, 63, 64, 96, 104, scheme.Algorithm.MinSignatureSize, scheme.Algorithm.MaxSignatureSize })
            Assert.False(scheme.Verify(key.PublicKey, Message, RandomNumberGenerator.GetBytes(length)));
    }

    [Fact]
    public void Disposed_keys_cannot_sign()
    {
        var scheme = CryptoProviders.Default.Signature(SignatureAlgorithm.Ed25519);
        var key = scheme.GenerateKey();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => scheme.Sign(key, Message));
    }

    [Fact]
    public void Seed_and_expanded_ml_dsa_keys_sign_interchangeably()
    {
        var scheme = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65);
        var operations = (Providers.Signatures.IMlDsaVectorOperations)CryptoProviders.Default.Create<ISignatureScheme>(SignatureAlgorithm.MlDsa65, ProviderNames.BouncyCastle);
        using var seeded = scheme.GenerateKey();
        using var seed = seeded.ExportPrivateMaterial();
        var (publicKey, expanded) = operations.GenerateFromSeed(seed.Span);
        using var expandedKey = scheme.ImportPrivateKey(expanded, PrivateKeyFormat.Expanded);

        Assert.Equal(seeded.PublicKey, publicKey);
        Assert.Equal(seeded.PublicKey, expandedKey.PublicKey);
        Assert.True(scheme.Verify(publicKey, Message, scheme.Sign(expandedKey, Message)));
        expanded[200] ^= 0x01;
        Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey(expanded, PrivateKeyFormat.Expanded));
    }
}
