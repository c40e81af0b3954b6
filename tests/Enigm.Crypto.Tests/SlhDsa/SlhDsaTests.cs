using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Xunit;

namespace Enigm.Crypto.Tests.SlhDsa;

/// <summary>
/// One SLH-DSA-SHA2-128s key and one signature, made once (signing takes about a second); the tests
/// tamper with copies. SLH-DSA-SHA2-256s signing is covered by the known-answer sign-then-verify sample.
/// </summary>
public sealed class SlhDsaSignatureFixture : IDisposable
{
    public SlhDsaSignatureFixture()
    {
        Scheme = CryptoProviders.Default.Signature(SignatureAlgorithm.SlhDsaSha2_128s);
        Key = Scheme.GenerateKey();
        Signature = Scheme.Sign(Key, Message, Context);
    }

    public static byte[] Message { get; } = "release manifest v1.2.3"u8.ToArray();

    public static byte[] Context { get; } = "enigm-ota-root"u8.ToArray();

    public ISignatureScheme Scheme { get; }

    public PrivateKey Key { get; }

    public byte[] Signature { get; }

    public void Dispose() => Key.Dispose();
}

public sealed class SlhDsaTests(SlhDsaSignatureFixture fixture) : IClassFixture<SlhDsaSignatureFixture>
{
    private ISignatureScheme Scheme => fixture.Scheme;

    private byte[] PublicKey => fixture.Key.PublicKey;

    private static byte[] Message => SlhDsaSignatureFixture.Message;

    private static byte[] Context => SlhDsaSignatureFixture.Context;

    [Fact]
    public void Produces_standard_sizes()
    {
        Assert.Equal(32, PublicKey.Length);
        Assert.Equal(7856, fixture.Signature.Length);
        using var material = fixture.Key.ExportPrivateMaterial();
        Assert.Equal(64, material.Length);

        // FIPS 205 sk = SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root: the second half is the public key.
        Assert.Equal(PublicKey, material.Span[32..].ToArray());
    }

    [Fact]
    public void Signatures_verify_with_every_available_provider()
    {
        foreach (var candidate in CryptoProviders.Default.Available(SignatureAlgorithm.SlhDsaSha2_128s))
        {
            var verifier = CryptoProviders.Default.Create<ISignatureScheme>(SignatureAlgorithm.SlhDsaSha2_128s, candidate.Provider);
            Assert.True(verifier.Verify(PublicKey, Message, fixture.Signature, Context), candidate.Provider);
        }
    }

    [Fact]
    public void Rejects_tampered_signatures()
    {
        foreach (var position in new[] { 0, 15, 16, 100, 3000, 7855 })
        {
            var tampered = (byte[])fixture.Signature.Clone();
            tampered[position] ^= 0x01;
            Assert.False(Scheme.Verify(PublicKey, Message, tampered, Context), $"bit flip at {position}");
        }
    }

    [Fact]
    public void Rejects_truncated_extended_and_empty_signatures_without_throwing()
    {
        Assert.False(Scheme.Verify(PublicKey, Message, fixture.Signature.AsSpan(0, 7855), Context));
        Assert.False(Scheme.Verify(PublicKey, Message, [.. fixture.Signature, 0], Context));
        Assert.False(Scheme.Verify(PublicKey, Message, ReadOnlySpan<byte>.Empty, Context));
        Assert.False(Scheme.Verify(PublicKey, Message, new byte[29792], Context));
    }

    [Fact]
    public void Binds_the_signature_to_its_context_and_message()
    {
        Assert.False(Scheme.Verify(PublicKey, Message, fixture.Signature));
        Assert.False(Scheme.Verify(PublicKey, Message, fixture.Signature, "enigm-ota-roos"u8));
        Assert.False(Scheme.Verify(PublicKey, Message, fixture.Signature, [.. Context, 0]));
        Assert.False(Scheme.Verify(PublicKey, "release manifest v1.2.4"u8, fixture.Signature, Context));
    }

    [Fact]
    public void Pure_signing_is_the_internal_function_on_the_prefixed_message()
    {
        // FIPS 205 Algorithm 24: slh_verify(M, SIG, ctx, PK) = slh_verify_internal(0 ‖ |ctx| ‖ ctx ‖ M, SIG, PK).
        var internalInterface = Assert.IsAssignableFrom<ISlhDsaInternalInterface>(
            CryptoProviders.Default.Create<ISignatureScheme>(SignatureAlgorithm.SlhDsaSha2_128s, ProviderNames.BouncyCastle));
        byte[] prefixed = [0, (byte)Context.Length, .. Context, .. Message];
        Assert.True(internalInterface.VerifyInternal(PublicKey, prefixed, fixture.Signature));
        Assert.False(internalInterface.VerifyInternal(PublicKey, Message, fixture.Signature));
    }

    [Fact]
    public void Refuses_contexts_over_255_bytes()
    {
        Assert.Throws<MalformedInputException>(() => Scheme.Sign(fixture.Key, Message, new byte[256]));
        Assert.False(Scheme.Verify(PublicKey, Message, fixture.Signature, new byte[256]));
    }

    [Fact]
    public void Rejects_public_keys_of_the_wrong_length_with_a_typed_error()
    {
        foreach (var length in new[] { 0, 31, 33, 64 })
        {
            Assert.Throws<InvalidKeyException>(() => Scheme.ValidatePublicKey(new byte[length]));
            Assert.Throws<InvalidKeyException>(() => Scheme.Verify(new byte[length], Message, fixture.Signature, Context));
        }

        Assert.False(Scheme.Verify(new byte[32], Message, fixture.Signature, Context));
    }

    [Fact]
    public void Imports_an_exported_key_and_refuses_a_corrupted_root_or_wrong_length()
    {
        using var material = fixture.Key.ExportPrivateMaterial();
        using var imported = Scheme.ImportPrivateKey(material.Span, PrivateKeyFormat.Expanded);
        Assert.Equal(PublicKey, imported.PublicKey);

        var corrupted = material.ToArrayUnsafe();
        corrupted[^1] ^= 0x01; // PK.root
        Assert.Throws<InvalidKeyException>(() => Scheme.ImportPrivateKey(corrupted, PrivateKeyFormat.Expanded));
        Assert.Throws<InvalidKeyException>(() => Scheme.ImportPrivateKey(corrupted.AsSpan(0, 63), PrivateKeyFormat.Expanded));
        Assert.Throws<InvalidKeyException>(() => Scheme.ImportPrivateKey(new byte[128], PrivateKeyFormat.Expanded));
    }

    [Fact]
    public void Refuses_to_sign_with_a_key_of_another_algorithm()
    {
        var other = CryptoProviders.Default.Signature(SignatureAlgorithm.SlhDsaSha2_256s);
        Assert.Throws<InvalidKeyException>(() => other.Sign(fixture.Key, Message));
    }

    [Fact]
    public void Private_key_text_does_not_reveal_the_material()
    {
        var text = fixture.Key.ToString();
        using var material = fixture.Key.ExportPrivateMaterial();
        Assert.Contains("redacted", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(material.Span[..8]), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(material.Span[..8]), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_answer_key_generation_matches_the_provider_key_layout()
    {
        // slh_keygen_internal from explicit seeds yields sk = SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root.
        var internalInterface = (ISlhDsaInternalInterface)CryptoProviders.Default.Create<ISignatureScheme>(
            SignatureAlgorithm.SlhDsaSha2_128s, ProviderNames.BouncyCastle);
        var skSeed = Enumerable.Repeat((byte)1, 16).ToArray();
        var skPrf = Enumerable.Repeat((byte)2, 16).ToArray();
        var pkSeed = Enumerable.Repeat((byte)3, 16).ToArray();
        using var key = internalInterface.GenerateKeyFromSeeds(skSeed, skPrf, pkSeed);
        using var material = key.ExportPrivateMaterial();
        Assert.Equal([.. skSeed, .. skPrf, .. pkSeed], material.Span[..48].ToArray());
        Assert.Equal(key.PublicKey, material.Span[32..].ToArray());
        Assert.Throws<MalformedInputException>(() => internalInterface.GenerateKeyFromSeeds(skSeed, skPrf, new byte[15]));
    }
}
