using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Hybrid;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Signatures;

/// <summary>draft-ietf-lamps-pq-composite-sigs behaviour: both halves bind, and neither can be lifted out.</summary>
public sealed class CompositeSignatureTests
{
    private static readonly byte[] Message = "device log entry 7"u8.ToArray();

    public static TheoryData<string> Composites() => new() { "id-MLDSA65-Ed25519-SHA512", "id-MLDSA87-ECDSA-P384-SHA512" };

    private static SignatureAlgorithm Algorithm(string name) => SignatureAlgorithm.All.Single(a => a.Name == name);

    private static ISignatureScheme Scheme(string name) => CryptoProviders.Default.Signature(Algorithm(name));

    private static int MlDsaSignatureSize(string name) => CompositeSignatureParameters.For(Algorithm(name)).MlDsaSignatureSize;

    [Theory]
    [MemberData(nameof(Composites))]
    public void Corrupting_the_ml_dsa_half_fails_verification(string name)
    {
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);
        signature[MlDsaSignatureSize(name) / 2] ^= 0x01;

        Assert.False(scheme.Verify(key.PublicKey, Message, signature));
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void Corrupting_the_traditional_half_fails_verification(string name)
    {
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);
        signature[^3] ^= 0x01;

        Assert.False(scheme.Verify(key.PublicKey, Message, signature));
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void Verifications_from_many_threads_at_once_each_get_their_own_answer(string name)
    {
        // The halves run on two threads per call (SecondCore); 32 calls at once must not mix their results, and a
        // signature is valid only when both halves are (draft §3.3): one bad half, or both, is a refusal.
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        var good = scheme.Sign(key, Message);
        var badMlDsa = (byte[])good.Clone();
        badMlDsa[MlDsaSignatureSize(name) / 2] ^= 0x01;
        var badTraditional = (byte[])good.Clone();
        badTraditional[^3] ^= 0x01;
        var badBoth = (byte[])badMlDsa.Clone();
        badBoth[^3] ^= 0x01;
        byte[][] signatures = [good, badMlDsa, badTraditional, badBoth];

        var results = new bool[96];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, i =>
            results[i] = scheme.Verify(key.PublicKey, Message, signatures[i % 4]));

        Assert.Equal(Enumerable.Range(0, 96).Select(i => i % 4 == 0), results);
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void A_signature_under_another_composite_key_fails(string name)
    {
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        using var other = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);
        var otherSignature = scheme.Sign(other, Message);
        var split = MlDsaSignatureSize(name);

        // Our ML-DSA half with the other key's traditional half, and vice versa.
        Assert.False(scheme.Verify(key.PublicKey, Message, [.. signature[..split], .. otherSignature[split..]]));
        Assert.False(scheme.Verify(key.PublicKey, Message, [.. otherSignature[..split], .. signature[split..]]));
    }

    [Fact]
    public void Component_signatures_cannot_be_lifted_out_or_swapped_between_algorithms()
    {
        var composite = Scheme("id-MLDSA65-Ed25519-SHA512");
        var mlDsa = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65);
        var ed25519 = CryptoProviders.Default.Signature(SignatureAlgorithm.Ed25519);
        using var key = composite.GenerateKey();
        var signature = composite.Sign(key, Message);
        var mlDsaPublicKey = key.PublicKey[..1952];
        var edPublicKey = key.PublicKey[1952..];

        // Lifted out, neither half verifies as a standalone signature over M (M' and the label bind them).
        Assert.False(mlDsa.Verify(mlDsaPublicKey, Message, signature[..3309]));
        Assert.False(ed25519.Verify(edPublicKey, Message, signature[3309..]));

        // Standalone component signatures over M, glued together, are not a composite signature.
        using var material = key.ExportPrivateMaterial();
        using var mlDsaKey = mlDsa.ImportPrivateKey(material.Span[..32]);
        using var edKey = ed25519.ImportPrivateKey(material.Span[32..]);
        var glued = mlDsa.Sign(mlDsaKey, Message).Concat(ed25519.Sign(edKey, Message)).ToArray();
        Assert.False(composite.Verify(key.PublicKey, Message, glued));
    }

    [Fact]
    public void Signatures_do_not_transfer_between_the_two_composites()
    {
        var ed = Scheme("id-MLDSA65-Ed25519-SHA512");
        var ecdsa = Scheme("id-MLDSA87-ECDSA-P384-SHA512");
        using var edKey = ed.GenerateKey();
        using var ecdsaKey = ecdsa.GenerateKey();

        Assert.False(ecdsa.Verify(ecdsaKey.PublicKey, Message, ed.Sign(edKey, Message)));
        Assert.False(ed.Verify(edKey.PublicKey, Message, ecdsa.Sign(ecdsaKey, Message)));
        Assert.Throws<InvalidKeyException>(() => ed.Verify(ecdsaKey.PublicKey, Message, ed.Sign(edKey, Message)));
        Assert.Throws<InvalidKeyException>(() => ecdsa.Sign(edKey, Message));
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void Only_the_drafts_seed_serialisation_is_a_private_key(string name)
    {
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        using var material = key.ExportPrivateMaterial();

        Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey(material.Span, Enigm.Crypto.Secrets.PrivateKeyFormat.Expanded));
        Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey(material.Span[..32]));
        Assert.Throws<InvalidKeyException>(() => scheme.ImportPrivateKey([.. material.Span, 0]));
    }

    [Fact]
    public void Ecdsa_composite_private_key_is_seed_then_RFC5915_ECPrivateKey()
    {
        var scheme = Scheme("id-MLDSA87-ECDSA-P384-SHA512");
        using var key = scheme.GenerateKey();
        using var material = key.ExportPrivateMaterial();
        var tradSK = material.Span[32..].ToArray();

        // SEQUENCE { INTEGER 1, OCTET STRING (48), [0] { OID secp384r1 } }, no publicKey.
        Assert.Equal(96, material.Length);
        Assert.Equal(Convert.FromHexString("303e0201010430"), tradSK[..7]);
        Assert.Equal(Convert.FromHexString("a00706052b81040022"), tradSK[^9..]);
    }

    [Fact]
    public void Ecdsa_half_must_be_strict_DER()
    {
        var scheme = Scheme("id-MLDSA87-ECDSA-P384-SHA512");
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);
        var split = MlDsaSignatureSize("id-MLDSA87-ECDSA-P384-SHA512");

        // Same r and s with a non-minimal (long-form) outer length: BER, not DER.
        var der = signature[split..];
        byte[] ber = [0x30, 0x81, der[1], .. der[2..]];
        Assert.True(scheme.Verify(key.PublicKey, Message, signature));
        Assert.False(scheme.Verify(key.PublicKey, Message, [.. signature[..split], .. ber]));
        Assert.False(scheme.Verify(key.PublicKey, Message, [.. signature, 0x00]));
    }

    [Fact]
    public void Message_representative_follows_the_draft()
    {
        var composite = new CompositeSignature(CompositeSignatureParameters.MlDsa65Ed25519, CryptoProviders.Default);
        var representative = composite.MessageRepresentative(Message, "ab"u8);

        byte[] expected =
        [
            .. "CompositeAlgorithmSignatures2025"u8, .. System.Text.Encoding.ASCII.GetBytes("COMPSIG-MLDSA65-Ed25519-SHA512"),
            0x02, (byte)'a', (byte)'b', .. SHA512.HashData(Message),
        ];
        Assert.Equal(expected, representative);
    }

    [Fact]
    public void Composite_reports_the_composed_provider_and_its_components()
    {
        var scheme = (CompositeSignature)Scheme("id-MLDSA65-Ed25519-SHA512");

        Assert.Equal(ProviderNames.Composed, scheme.Provider);
        Assert.Equal(ProviderNames.Libsodium, scheme.ComponentProviders.Traditional);
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void Verify_refuses_a_public_key_of_the_wrong_length_with_a_typed_error(string name)
    {
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        var signature = scheme.Sign(key, Message);

        Assert.Throws<InvalidKeyException>(() => scheme.Verify(key.PublicKey.AsSpan(0, 100), Message, signature));
        Assert.Throws<InvalidKeyException>(() => scheme.Verify([.. key.PublicKey, 0], Message, signature));
    }

    [Theory]
    [MemberData(nameof(Composites))]
    public void A_context_of_255_bytes_verifies_and_one_of_256_is_refused(string name)
    {
        var scheme = Scheme(name);
        using var key = scheme.GenerateKey();
        var context = new byte[255];
        var signature = scheme.Sign(key, Message, context);

        Assert.True(scheme.Verify(key.PublicKey, Message, signature, context));
        Assert.False(scheme.Verify(key.PublicKey, Message, signature, new byte[256]));
    }

    [Fact]
    public void A_composite_needs_its_parameters_and_providers()
    {
        var parameters = CompositeSignatureParameters.For(Algorithm("id-MLDSA65-Ed25519-SHA512"));
        Assert.Throws<ArgumentNullException>(() => new CompositeSignature(null!, CryptoProviders.Default));
        Assert.Throws<ArgumentNullException>(() => new CompositeSignature(parameters, null!));
    }
}
