using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Symmetric;

public sealed class KdfTests
{
    private static IKdf Kdf(string algorithm, string provider) =>
        SymmetricTestData.Create<IKdf>(AlgorithmKind.Kdf, algorithm, provider);

    [Fact]
    public void Derives_the_rfc5869_test_case_1_output()
    {
        // RFC 5869 Appendix A.1 (HKDF-SHA-256).
        var ikm = Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        var salt = Convert.FromHexString("000102030405060708090a0b0c");
        var info = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9");
        var okm = Convert.FromHexString("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        foreach (var candidate in CryptoProviders.Default.Available(KdfAlgorithm.HkdfSha256))
        {
            var output = new byte[42];
            Kdf(KdfAlgorithm.HkdfSha256.Name, candidate.Provider).DeriveKey(ikm, salt, info, output);
            Assert.Equal(okm, output);
        }
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.KdfProviders), MemberType = typeof(SymmetricTestData))]
    public void Rejects_output_longer_than_255_hash_lengths(string algorithm, string provider)
    {
        var kdf = Kdf(algorithm, provider);
        var max = ((KdfAlgorithm)CryptoAlgorithm.Find(AlgorithmKind.Kdf, algorithm)!).MaxOutputSize;

        var longest = new byte[max];
        kdf.DeriveKey("ikm"u8, "salt"u8, "info"u8, longest);
        Assert.Contains(longest, b => b != 0);

        Assert.Throws<MalformedInputException>(() => kdf.DeriveKey("ikm"u8, "salt"u8, "info"u8, new byte[max + 1]));
        Assert.Throws<MalformedInputException>(() => kdf.DeriveKey("ikm"u8, "salt"u8, "info"u8, Span<byte>.Empty));
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.KdfProviders), MemberType = typeof(SymmetricTestData))]
    public void Treats_an_empty_salt_as_hash_length_zeros(string algorithm, string provider)
    {
        // RFC 5869 2.2: "if not provided, [salt] is set to a string of HashLen zeros".
        var kdf = Kdf(algorithm, provider);
        var hashLength = ((KdfAlgorithm)CryptoAlgorithm.Find(AlgorithmKind.Kdf, algorithm)!).HashSize;
        var withEmpty = new byte[40];
        var withZeros = new byte[40];
        kdf.DeriveKey("ikm"u8, default, "info"u8, withEmpty);
        kdf.DeriveKey("ikm"u8, new byte[hashLength], "info"u8, withZeros);
        Assert.Equal(withZeros, withEmpty);
    }

    [Theory]
    [InlineData("HKDF-SHA-256")]
    [InlineData("HKDF-SHA-512")]
    public void Providers_agree_on_random_inputs(string algorithm)
    {
        var kdfs = CryptoProviders.Default.Available(CryptoAlgorithm.Find(AlgorithmKind.Kdf, algorithm)!)
            .Select(c => Kdf(algorithm, c.Provider)).ToList();
        Assert.True(kdfs.Count >= 2);
        for (var round = 0; round < 20; round++)
        {
            var ikm = RandomNumberGenerator.GetBytes(1 + round * 3);
            var salt = RandomNumberGenerator.GetBytes(round * 5);
            var info = RandomNumberGenerator.GetBytes(round * 2);
            var outputs = kdfs.Select(k =>
            {
                var output = new byte[1 + round * 17];
                k.DeriveKey(ikm, salt, info, output);
                return output;
            }).ToList();
            foreach (var output in outputs) Assert.Equal(outputs[0], output);
        }
    }
}
