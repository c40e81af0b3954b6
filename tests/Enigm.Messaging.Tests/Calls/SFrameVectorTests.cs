using System.Security.Cryptography;
using System.Text.Json;
using Enigm.Crypto.Tests.Support;
using Enigm.Messaging.Calls.SFrame;
using Xunit;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>
/// Every case of sframe/test-vectors.json (RFC 9605 Appendix C, sframe-wg/sframe): header encodings (C.1), the
/// AES-CTR + HMAC AEAD for AES-128 (C.2) and AES-256, and whole-frame protection for suites 1–5 (C.3), each
/// reproduced byte for byte and decrypted back.
/// </summary>
public sealed class SFrameVectorTests
{
    private const string File = "sframe/test-vectors.json";

    private static byte[] Hex(JsonElement e, string name) => Convert.FromHexString(e.GetProperty(name).GetString()!);

    private static List<JsonElement> Cases(string section)
    {
        using var doc = VectorFiles.Load(File);
        return doc.RootElement.GetProperty(section).EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static SFrameCipherSuite Suite(int id) => id switch
    {
        1 => SFrameCipherSuite.Aes128CtrHmacSha256_80,
        2 => SFrameCipherSuite.Aes128CtrHmacSha256_64,
        3 => SFrameCipherSuite.Aes128CtrHmacSha256_32,
        4 => SFrameCipherSuite.Aes128GcmSha256_128,
        5 => SFrameCipherSuite.Aes256GcmSha512_128,
        6 => SFrameCipherSuite.Aes256CtrHmacSha512_80,
        7 => SFrameCipherSuite.Aes256CtrHmacSha512_64,
        8 => SFrameCipherSuite.Aes256CtrHmacSha512_32,
        _ => throw new ArgumentOutOfRangeException(nameof(id)),
    };

    [Fact]
    public void Every_header_vector_encodes_and_parses_exactly()
    {
        var cases = Cases("header");
        Assert.Equal(289, cases.Count);
        foreach (var c in cases)
        {
            var header = new SFrameHeader(c.GetProperty("kid").GetUInt64(), c.GetProperty("ctr").GetUInt64());
            var encoded = Hex(c, "encoded");
            Assert.True(encoded.AsSpan().SequenceEqual(header.Encode()), $"encoding of {header}");
            Assert.Equal(encoded.Length, header.EncodedSize);

            var withPayload = encoded.Concat(new byte[] { 0xAA, 0xBB }).ToArray();
            Assert.Equal(header, SFrameHeader.Read(withPayload, out var size));
            Assert.Equal(encoded.Length, size);
        }
    }

    [Theory]
    [InlineData("aes_ctr_hmac", 3)]
    [InlineData("aes_256_ctr_hmac", 3)]
    public void Every_ctr_hmac_vector_seals_and_opens_exactly(string section, int count)
    {
        var cases = Cases(section);
        Assert.Equal(count, cases.Count);
        foreach (var c in cases)
        {
            var suite = Suite(c.GetProperty("cipher_suite").GetInt32());
            var key = Hex(c, "key");
            Assert.Equal(Hex(c, "enc_key"), key[..suite.AesKeySize]);
            Assert.Equal(Hex(c, "auth_key"), key[suite.AesKeySize..]);
            var (nonce, aad, pt, ct) = (Hex(c, "nonce"), Hex(c, "aad"), Hex(c, "pt"), Hex(c, "ct"));

            using var aead = SFrameAead.Create(suite, key);
            var sealedBytes = new byte[pt.Length + suite.TagSize];
            aead.Seal(nonce, aad, pt, sealedBytes);
            Assert.Equal(ct, sealedBytes);

            var opened = new byte[ct.Length - suite.TagSize];
            Assert.True(aead.Open(nonce, aad, ct, opened), suite.Name);
            Assert.Equal(pt, opened);
        }
    }

    [Fact]
    public void Every_frame_vector_derives_protects_and_unprotects_exactly()
    {
        var cases = Cases("sframe");
        Assert.Equal(5, cases.Count);
        foreach (var c in cases)
        {
            var suite = Suite(c.GetProperty("cipher_suite").GetInt32());
            var kid = c.GetProperty("kid").GetUInt64();
            var ctr = c.GetProperty("ctr").GetUInt64();
            var baseKey = Hex(c, "base_key");

            Assert.Equal(Hex(c, "sframe_key_label"), SFrameKeyDerivation.KeyLabel(suite, kid));
            Assert.Equal(Hex(c, "sframe_salt_label"), SFrameKeyDerivation.SaltLabel(suite, kid));
            Assert.Equal(Hex(c, "sframe_secret"), HKDF.Extract(suite.Hash, baseKey, []));
            var key = new byte[suite.KeySize];
            var salt = new byte[suite.NonceSize];
            SFrameKeyDerivation.Derive(suite, kid, baseKey, key, salt);
            Assert.Equal(Hex(c, "sframe_key"), key);
            Assert.Equal(Hex(c, "sframe_salt"), salt);

            var (metadata, pt, ct) = (Hex(c, "metadata"), Hex(c, "pt"), Hex(c, "ct"));
            Assert.Equal(Hex(c, "aad"), ct[..(Hex(c, "aad").Length - metadata.Length)].Concat(metadata).ToArray());
            using var sframeKey = new SFrameKey(suite, kid, baseKey);
            var frame = new byte[ct.Length];
            Assert.Equal(ct.Length, sframeKey.Protect(ctr, pt, metadata, frame));
            Assert.Equal(ct, frame);

            using var receiver = new SFrameReceiver(suite);
            receiver.AddKey(kid, baseKey);
            Assert.Equal(pt, receiver.Unprotect(ct, metadata));
        }
    }

    [Fact]
    public void Frame_vector_nonce_is_the_salt_xor_the_counter()
    {
        foreach (var c in Cases("sframe"))
        {
            var salt = Hex(c, "sframe_salt");
            var nonce = Hex(c, "nonce");
            var ctr = c.GetProperty("ctr").GetUInt64();
            var expected = (byte[])salt.Clone();
            for (var i = 0; i < 8; i++) expected[11 - i] ^= (byte)(ctr >> (8 * i));
            Assert.Equal(nonce, expected);
        }
    }
}
