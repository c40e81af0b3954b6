using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Symmetric;

public sealed class AeadTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Nonce = RandomNumberGenerator.GetBytes(12);
    private static readonly byte[] Aad = "header"u8.ToArray();
    private static readonly byte[] Plaintext = RandomNumberGenerator.GetBytes(100);

    private static IAead Aead(string algorithm, string provider) =>
        SymmetricTestData.Create<IAead>(AlgorithmKind.Aead, algorithm, provider);

    private static byte[] Seal(IAead aead, byte[] plaintext)
    {
        var sealedBytes = new byte[plaintext.Length + 16];
        aead.Encrypt(Key, Nonce, plaintext, Aad, sealedBytes);
        return sealedBytes;
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.AeadProviders), MemberType = typeof(SymmetricTestData))]
    public void Round_trips_messages_of_any_length(string algorithm, string provider)
    {
        var aead = Aead(algorithm, provider);
        foreach (var length in new[] { 0, 1, 15, 16, 17, 64, 1000 })
        {
            var plaintext = RandomNumberGenerator.GetBytes(length);
            var sealedBytes = Seal(aead, plaintext);
            var opened = new byte[length];
            aead.Decrypt(Key, Nonce, sealedBytes, Aad, opened);
            Assert.Equal(plaintext, opened);
            Assert.Equal(aead.Provider, provider);
        }
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.AeadProviders), MemberType = typeof(SymmetricTestData))]
    public void Rejects_tampered_tag_ciphertext_aad_nonce_and_key(string algorithm, string provider)
    {
        var aead = Aead(algorithm, provider);
        var sealedBytes = Seal(aead, Plaintext);
        var output = new byte[Plaintext.Length];

        var badTag = (byte[])sealedBytes.Clone();
        badTag[^1] ^= 0x80;
        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, Nonce, badTag, Aad, output));

        var badCiphertext = (byte[])sealedBytes.Clone();
        badCiphertext[3] ^= 0x01;
        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, Nonce, badCiphertext, Aad, output));

        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, Nonce, sealedBytes, "headeR"u8, output));
        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, Nonce, sealedBytes, default, output));

        var otherNonce = (byte[])Nonce.Clone();
        otherNonce[0] ^= 0x01;
        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, otherNonce, sealedBytes, Aad, output));

        var otherKey = (byte[])Key.Clone();
        otherKey[31] ^= 0x01;
        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(otherKey, Nonce, sealedBytes, Aad, output));
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.AeadProviders), MemberType = typeof(SymmetricTestData))]
    public void Leaves_no_plaintext_behind_after_a_failed_decryption(string algorithm, string provider)
    {
        var aead = Aead(algorithm, provider);
        var sealedBytes = Seal(aead, Plaintext);
        sealedBytes[^1] ^= 0x01;
        var output = new byte[Plaintext.Length];

        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, Nonce, sealedBytes, Aad, output));
        Assert.All(output, b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.AeadProviders), MemberType = typeof(SymmetricTestData))]
    public void Rejects_truncated_and_extended_ciphertexts(string algorithm, string provider)
    {
        var aead = Aead(algorithm, provider);
        var sealedBytes = Seal(aead, Plaintext);

        // Shorter than a tag: structurally impossible.
        Assert.Throws<MalformedInputException>(() => aead.Decrypt(Key, Nonce, sealedBytes.AsSpan(0, 15), Aad, Span<byte>.Empty));

        // A byte missing or added: the tag no longer matches.
        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, Nonce, sealedBytes.AsSpan(0, sealedBytes.Length - 1), Aad, new byte[Plaintext.Length - 1]));
        byte[] extended = [.. sealedBytes, 0];
        Assert.Throws<DecryptionFailedException>(() => aead.Decrypt(Key, Nonce, extended, Aad, new byte[Plaintext.Length + 1]));
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.AeadProviders), MemberType = typeof(SymmetricTestData))]
    public void Rejects_wrong_key_nonce_and_buffer_sizes(string algorithm, string provider)
    {
        var aead = Aead(algorithm, provider);
        var sealedBytes = Seal(aead, Plaintext);
        var output = new byte[Plaintext.Length];

        foreach (var keyLength in new[] { 0, 16, 24, 31, 33, 64 })
        {
            var key = new byte[keyLength];
            Assert.Throws<MalformedInputException>(() => aead.Encrypt(key, Nonce, Plaintext, Aad, new byte[Plaintext.Length + 16]));
            Assert.Throws<MalformedInputException>(() => aead.Decrypt(key, Nonce, sealedBytes, Aad, output));
        }

        foreach (var nonceLength in new[] { 0, 8, 11, 13, 16, 24 })
        {
            var nonce = new byte[nonceLength];
            Assert.Throws<MalformedInputException>(() => aead.Encrypt(Key, nonce, Plaintext, Aad, new byte[Plaintext.Length + 16]));
            Assert.Throws<MalformedInputException>(() => aead.Decrypt(Key, nonce, sealedBytes, Aad, output));
        }

        Assert.Throws<MalformedInputException>(() => aead.Encrypt(Key, Nonce, Plaintext, Aad, new byte[Plaintext.Length + 15]));
        Assert.Throws<MalformedInputException>(() => aead.Encrypt(Key, Nonce, Plaintext, Aad, new byte[Plaintext.Length + 17]));
        Assert.Throws<MalformedInputException>(() => aead.Decrypt(Key, Nonce, sealedBytes, Aad, new byte[Plaintext.Length + 1]));
    }

    [Theory]
    [InlineData("AES-256-GCM")]
    [InlineData("ChaCha20-Poly1305")]
    public void Providers_produce_identical_ciphertexts_and_open_each_others(string algorithm)
    {
        var providers = CryptoProviders.Default.Available(CryptoAlgorithm.Find(AlgorithmKind.Aead, algorithm)!)
            .Select(c => Aead(algorithm, c.Provider)).ToList();
        Assert.True(providers.Count >= 2, $"{algorithm} has fewer than two providers here");

        for (var round = 0; round < 20; round++)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var nonce = RandomNumberGenerator.GetBytes(12);
            var aad = RandomNumberGenerator.GetBytes(round);
            var plaintext = RandomNumberGenerator.GetBytes(round * 13);
            var outputs = providers.Select(p =>
            {
                var sealedBytes = new byte[plaintext.Length + 16];
                p.Encrypt(key, nonce, plaintext, aad, sealedBytes);
                return sealedBytes;
            }).ToList();

            foreach (var output in outputs) Assert.Equal(outputs[0], output);
            foreach (var p in providers)
            {
                var opened = new byte[plaintext.Length];
                p.Decrypt(key, nonce, outputs[^1], aad, opened);
                Assert.Equal(plaintext, opened);
            }
        }
    }

    [Fact]
    public void Every_aead_has_at_least_the_managed_provider()
    {
        foreach (var algorithm in AeadAlgorithm.All)
            Assert.Contains(CryptoProviders.Default.Available(algorithm), c => c.Provider == ProviderNames.BouncyCastle);
    }
}
