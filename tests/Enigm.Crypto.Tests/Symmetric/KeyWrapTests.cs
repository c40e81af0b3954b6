using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Symmetric;

public sealed class KeyWrapTests
{
    private static readonly byte[] Kek = RandomNumberGenerator.GetBytes(32);

    private static IKeyWrap KeyWrap(string algorithm, string provider) =>
        SymmetricTestData.Create<IKeyWrap>(AlgorithmKind.KeyWrap, algorithm, provider);

    [Theory]
    [MemberData(nameof(SymmetricTestData.KeyWrapProviders), MemberType = typeof(SymmetricTestData))]
    public void Round_trips_keys_of_every_length_up_to_65_bytes(string algorithm, string provider)
    {
        var keyWrap = KeyWrap(algorithm, provider);
        for (var length = 1; length <= 65; length++)
        {
            var key = RandomNumberGenerator.GetBytes(length);
            var wrapped = keyWrap.Wrap(Kek, key);
            Assert.Equal(8 * (1 + (length + 7) / 8), wrapped.Length); // RFC 5649 4.1: AIV block + padded blocks
            Assert.Equal(key, keyWrap.Unwrap(Kek, wrapped));
        }
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.KeyWrapProviders), MemberType = typeof(SymmetricTestData))]
    public void Rejects_tampered_wrapped_keys_and_the_wrong_kek(string algorithm, string provider)
    {
        var keyWrap = KeyWrap(algorithm, provider);
        foreach (var length in new[] { 1, 8, 9, 32 })
        {
            var wrapped = keyWrap.Wrap(Kek, RandomNumberGenerator.GetBytes(length));
            for (var position = 0; position < wrapped.Length; position += 5)
            {
                var tampered = (byte[])wrapped.Clone();
                tampered[position] ^= 0x04;
                Assert.Throws<DecryptionFailedException>(() => keyWrap.Unwrap(Kek, tampered));
            }

            var otherKek = (byte[])Kek.Clone();
            otherKek[0] ^= 0x01;
            Assert.Throws<DecryptionFailedException>(() => keyWrap.Unwrap(otherKek, wrapped));
        }
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.KeyWrapProviders), MemberType = typeof(SymmetricTestData))]
    public void Rejects_impossible_lengths_and_kek_sizes(string algorithm, string provider)
    {
        var keyWrap = KeyWrap(algorithm, provider);
        Assert.Throws<MalformedInputException>(() => keyWrap.Wrap(Kek, ReadOnlySpan<byte>.Empty));
        foreach (var length in new[] { 0, 8, 15, 17, 23 })
            Assert.Throws<MalformedInputException>(() => keyWrap.Unwrap(Kek, new byte[length]));

        // The public API takes a 256-bit KEK only.
        var wrapped = keyWrap.Wrap(Kek, new byte[16]);
        foreach (var kekLength in new[] { 0, 16, 24, 31, 33 })
        {
            Assert.Throws<MalformedInputException>(() => keyWrap.Wrap(new byte[kekLength], new byte[16]));
            Assert.Throws<MalformedInputException>(() => keyWrap.Unwrap(new byte[kekLength], wrapped));
        }
    }

    [Theory]
    [MemberData(nameof(SymmetricTestData.KeyWrapProviders), MemberType = typeof(SymmetricTestData))]
    public void Reproduces_the_rfc5649_section_6_examples(string algorithm, string provider)
    {
        // RFC 5649 6: a 192-bit KEK wrapping a 20-octet and a 7-octet key (reachable through the known-answer interface).
        var keyWrap = (IKeyWrapAnyKek)KeyWrap(algorithm, provider);
        var kek = Convert.FromHexString("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");
        var key20 = Convert.FromHexString("c37b7e6492584340bed12207808941155068f738");
        var key7 = Convert.FromHexString("466f7250617369");

        Assert.Equal("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a", Convert.ToHexStringLower(keyWrap.WrapAnyKek(kek, key20)));
        Assert.Equal("afbeb0f07dfbf5419200f2ccb50bb24f", Convert.ToHexStringLower(keyWrap.WrapAnyKek(kek, key7)));
        Assert.Equal(key20, keyWrap.UnwrapAnyKek(kek, Convert.FromHexString("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a")));
    }

    [Fact]
    public void Providers_produce_identical_wrapped_keys_and_unwrap_each_others()
    {
        var providers = CryptoProviders.Default.Available(KeyWrapAlgorithm.AesKwp256)
            .Select(c => KeyWrap(KeyWrapAlgorithm.AesKwp256.Name, c.Provider)).ToList();
        Assert.True(providers.Count >= 2);
        for (var length = 1; length <= 40; length += 3)
        {
            var key = RandomNumberGenerator.GetBytes(length);
            var wrapped = providers.Select(p => p.Wrap(Kek, key)).ToList();
            Assert.All(wrapped, w => Assert.Equal(wrapped[0], w));
            Assert.All(providers, p => Assert.Equal(key, p.Unwrap(Kek, wrapped[^1])));
        }
    }
}
