using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Symmetric;

public sealed class HashTests
{
    private static IHash Hash(string algorithm, string provider) =>
        SymmetricTestData.Create<IHash>(AlgorithmKind.Hash, algorithm, provider);

    private static string Digest(IHash hash, ReadOnlySpan<byte> data)
    {
        var digest = new byte[hash.Algorithm.Size];
        hash.Hash(data, digest);
        return Convert.ToHexStringLower(digest);
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.HashProviders), MemberType = typeof(SymmetricTestData))]
    public void Reproduces_the_published_abc_and_empty_string_digests(string algorithm, string provider)
    {
        // FIPS 180-2 Appendices B.1 and C.1 ("abc"); NIST's FIPS 202 examples for SHA3-256.
        var (abc, empty) = algorithm switch
        {
            "SHA-256" => ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "SHA-512" => ("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
            _ => ("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
                "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"),
        };
        var hash = Hash(algorithm, provider);
        Assert.Equal(abc, Digest(hash, "abc"u8));
        Assert.Equal(empty, Digest(hash, default));
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.HashProviders), MemberType = typeof(SymmetricTestData))]
    public void Rejects_a_digest_buffer_of_the_wrong_size(string algorithm, string provider)
    {
        var hash = Hash(algorithm, provider);
        Assert.Throws<MalformedInputException>(() => hash.Hash("abc"u8, new byte[hash.Algorithm.Size - 1]));
        Assert.Throws<MalformedInputException>(() => hash.Hash("abc"u8, new byte[hash.Algorithm.Size + 1]));
    }

    [Theory]
    [InlineData("SHA-256")]
    [InlineData("SHA-512")]
    [InlineData("SHA3-256")]
    public void Providers_agree_on_random_inputs(string algorithm)
    {
        var hashes = CryptoProviders.Default.Available(CryptoAlgorithm.Find(AlgorithmKind.Hash, algorithm)!)
            .Select(c => Hash(algorithm, c.Provider)).ToList();
        Assert.True(hashes.Count >= 2);

        // Lengths around the block sizes (64, 128 and 136 bytes) and their padding boundaries.
        foreach (var length in new[] { 0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 135, 136, 137, 1000, 100_000 })
        {
            var data = RandomNumberGenerator.GetBytes(length);
            var digests = hashes.Select(h => Digest(h, data)).ToList();
            Assert.All(digests, d => Assert.Equal(digests[0], d));
        }
    }
}
