using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Metadata;

public class TufKeyTests
{
    [Fact]
    public void Keyid_is_sha256_of_the_canonical_key_object()
    {
        var key = TufKey.Create(SignatureAlgorithm.Ed25519, new byte[32]);
        var canonical = "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"" + new string('0', 64) + "\"},\"scheme\":\"ed25519\"}";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), key.KeyId);
        Assert.Equal(canonical, Encoding.UTF8.GetString(CanonicalJson.Serialize(key.Json)));
    }

    [Fact]
    public void Keyid_is_stable_across_member_order_and_whitespace()
    {
        var created = TufKey.Create(SignatureAlgorithm.Ed25519, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var reordered = "{ \"scheme\": \"ed25519\",\n \"keyval\": { \"public\": \"" + Convert.ToHexStringLower(created.PublicKey) + "\" },\n \"keytype\": \"ed25519\" }";
        var parsed = TufKey.FromJson(CanonicalJson.ParseObject(Encoding.UTF8.GetBytes(reordered)));
        Assert.Equal(created.KeyId, parsed.KeyId);
        Assert.Equal(created.KeyId, TufKey.Create(SignatureAlgorithm.Ed25519, created.PublicKey).KeyId);
    }

    [Theory]
    [InlineData("ed25519", "ed25519", "Ed25519")]
    [InlineData("enigm-composite", "id-MLDSA87-ECDSA-P384-SHA512", "id-MLDSA87-ECDSA-P384-SHA512")]
    [InlineData("ml-dsa", "ML-DSA-87", "ML-DSA-87")]
    [InlineData("slh-dsa", "SLH-DSA-SHA2-256s", "SLH-DSA-SHA2-256s")]
    public void Maps_key_types_to_algorithms(string keyType, string scheme, string algorithm)
    {
        var alg = SignatureAlgorithm.All.Single(a => a.Name == algorithm);
        Assert.Equal((keyType, scheme), TufKey.TypeOf(alg));
        var key = TufKey.Create(alg, new byte[alg.PublicKeySize]);
        Assert.Equal(keyType, key.KeyType);
        Assert.Equal(scheme, key.Scheme);
        Assert.Same(alg, key.Algorithm);
    }

    [Fact]
    public void Keeps_unknown_key_types_without_trusting_them()
    {
        var json = "{\"keytype\":\"rsa\",\"scheme\":\"rsassa-pss-sha256\",\"keyval\":{\"public\":\"-----BEGIN PUBLIC KEY-----\\n...\"},\"x-extra\":1}";
        var key = TufKey.FromJson(CanonicalJson.ParseObject(Encoding.UTF8.GetBytes(json)));
        Assert.False(key.IsSupported);
        Assert.False(key.Verify("m"u8, "00", CryptoProviders.Default));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(key.Json))), key.KeyId);
        Assert.True(key.Json.ContainsKey("x-extra"));

        // A known keytype with an unknown scheme is also just unsupported.
        var otherScheme = TufKey.FromJson(CanonicalJson.ParseObject("{\"keytype\":\"ed25519\",\"scheme\":\"ed25519-ph\",\"keyval\":{}}"u8));
        Assert.False(otherScheme.IsSupported);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("ZZ00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("AB00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("000000000000000000000000000000000000000000000000000000000000000")]
    public void Rejects_malformed_public_keys_of_known_types(string hex)
    {
        var json = "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\"" + hex + "\"}}";
        Assert.Throws<MalformedInputException>(() => TufKey.FromJson(CanonicalJson.ParseObject(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void Rejects_key_objects_missing_members()
    {
        Assert.Throws<MalformedInputException>(() => TufKey.FromJson(CanonicalJson.ParseObject("{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\"}"u8)));
        Assert.Throws<MalformedInputException>(() => TufKey.FromJson(CanonicalJson.ParseObject("{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{}}"u8)));
        Assert.Throws<MalformedInputException>(() => TufKey.FromJson(CanonicalJson.ParseObject("{\"keytype\":1,\"scheme\":\"ed25519\",\"keyval\":{}}"u8)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("zz")]
    [InlineData("ABCD")]
    public void Undecodable_signatures_do_not_verify(string sig)
    {
        var (key, signer) = TestKeys.New(SignatureAlgorithm.Ed25519);
        using var _ = key;
        Assert.False(signer.Key.Verify("message"u8, sig, CryptoProviders.Default));
    }

    [Fact]
    public void Oversized_signatures_do_not_verify()
    {
        var (key, signer) = TestKeys.New(SignatureAlgorithm.Ed25519);
        using var _ = key;
        Assert.False(signer.Key.Verify("message"u8, new string('0', 1_000_000), CryptoProviders.Default));
    }
}
