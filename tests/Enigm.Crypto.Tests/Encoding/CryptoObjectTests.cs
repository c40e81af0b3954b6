using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Xunit;

namespace Enigm.Crypto.Tests.Encoding;

public sealed class CryptoObjectTests
{
    private static readonly CryptoObject X25519Key =
        new(ObjectType.PublicKey, SuiteRegistry.Suite1, KeyAgreementAlgorithm.X25519, [.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    [Fact]
    public void Encoding_is_deterministic_and_round_trips()
    {
        var encoded = X25519Key.Encode();
        Assert.Equal(encoded, X25519Key.Encode());
        // [1, 1, 1, "X25519", h'0102…20']
        Assert.Equal("8501010166583235353139", Convert.ToHexString(encoded.AsSpan(0, 11)));

        var decoded = CryptoObject.DecodePublicKey(encoded, SuitePolicy.Default, CryptoProviders.Default);
        Assert.Equal(KeyAgreementAlgorithm.X25519, decoded.Algorithm);
        Assert.Equal(X25519Key.Value, decoded.Value);
        Assert.Equal(encoded, decoded.Encode());
    }

    [Fact]
    public void Signature_objects_accept_variable_lengths_within_the_algorithm_bounds()
    {
        var algorithm = SignatureAlgorithm.MlDsa87EcdsaP384;
        foreach (var length in new[] { algorithm.MinSignatureSize, algorithm.MaxSignatureSize })
        {
            var encoded = new CryptoObject(ObjectType.Signature, SuiteRegistry.Suite1, algorithm, new byte[length]).Encode();
            Assert.Equal(length, CryptoObject.Decode(encoded, ObjectType.Signature, SuitePolicy.Default).Value.Length);
        }
    }

    [Fact]
    public void Rejects_a_value_of_the_wrong_length() =>
        Assert.Throws<MalformedInputException>(() => CryptoObject.Decode(
            Reencode(X25519Key with { Value = new byte[31] }), ObjectType.PublicKey, SuitePolicy.Default));

    [Fact]
    public void Rejects_an_algorithm_outside_the_suite() =>
        Assert.Throws<MalformedInputException>(() => new CryptoObject(
            ObjectType.Signature, SuiteRegistry.Suite1, SignatureAlgorithm.SlhDsaSha2_128s, new byte[7856]).Encode());

    [Fact]
    public void Rejects_an_unknown_algorithm_name()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        FormatHeader.For(SuiteRegistry.Suite1, ObjectType.PublicKey).WriteTo(writer);
        writer.WriteTextString("X448\u0007");
        writer.WriteByteString(new byte[56]);
        writer.WriteEndArray();
        var e = Assert.Throws<MalformedInputException>(() => CryptoObject.Decode(writer.Encode(), ObjectType.PublicKey, SuitePolicy.Default));
        Assert.DoesNotContain("\u0007", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_ciphertext_algorithm_used_as_a_signature()
    {
        var ciphertext = new CryptoObject(ObjectType.KemCiphertext, SuiteRegistry.Suite1, KemAlgorithm.XWing, new byte[1120]).Encode();
        Assert.Throws<MalformedInputException>(() => CryptoObject.Decode(ciphertext, ObjectType.Signature, SuitePolicy.Default));
    }

    [Fact]
    public void Rejects_every_truncation_with_a_typed_error()
    {
        var encoded = X25519Key.Encode();
        for (var length = 0; length < encoded.Length; length++)
            Assert.ThrowsAny<EnigmException>(() => CryptoObject.Decode(encoded.AsMemory(0, length), ObjectType.PublicKey, SuitePolicy.Default));
    }

    [Fact]
    public void Rejects_every_single_bit_flip_in_the_framing_with_a_typed_error()
    {
        var encoded = X25519Key.Encode();
        // Bits of the key bytes themselves are data; every bit of the framing (first 11 bytes and the length byte) matters.
        for (var index = 0; index < 13; index++)
            for (var bit = 0; bit < 8; bit++)
            {
                var copy = (byte[])encoded.Clone();
                copy[index] ^= (byte)(1 << bit);
                Assert.ThrowsAny<EnigmException>(() => CryptoObject.Decode(copy, ObjectType.PublicKey, SuitePolicy.Default));
            }
    }

    [Fact]
    public void Rejects_oversized_input() =>
        Assert.Throws<MalformedInputException>(() => CryptoObject.Decode(new byte[CryptoObject.MaxEncodedSize + 1], ObjectType.PublicKey, SuitePolicy.Default));

    private static byte[] Reencode(CryptoObject o)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(5);
        FormatHeader.For(o.Suite, o.Type).WriteTo(writer);
        writer.WriteTextString(o.Algorithm.Name);
        writer.WriteByteString(o.Value);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
