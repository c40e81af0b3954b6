using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Xunit;

namespace Enigm.Crypto.Tests.Symmetric;

public sealed class MacTests
{
    public static TheoryData<string> Providers()
    {
        var data = new TheoryData<string>();
        foreach (var candidate in CryptoProviders.Default.Available(MacAlgorithm.HmacSha256)) data.Add(candidate.Provider);
        return data;
    }

    private static IMac Mac(string provider) => CryptoProviders.Default.Create<IMac>(MacAlgorithm.HmacSha256, provider);

    [Theory]
    [MemberData(nameof(Providers))]
    public void Computes_rfc4231_test_case_2(string provider)
    {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        var tag = new byte[32];
        Mac(provider).Compute("Jefe"u8, "what do ya want for nothing?"u8, tag);
        Assert.Equal(Convert.FromHexString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), tag);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Rejects_a_tag_buffer_that_is_not_32_bytes(string provider)
    {
        var mac = Mac(provider);
        Assert.Throws<MalformedInputException>(() => mac.Compute("key"u8, "data"u8, new byte[31]));
        Assert.Throws<MalformedInputException>(() => mac.Compute("key"u8, "data"u8, new byte[33]));
        Assert.Throws<MalformedInputException>(() => mac.Compute("key"u8, "data"u8, Span<byte>.Empty));
    }

    [Fact]
    public void Providers_agree_with_the_bcl_on_random_keys_and_messages_of_every_shape()
    {
        // Empty key, short key, exactly one block (64), longer than a block (hashed first, RFC 2104 §2).
        int[] keyLengths = [0, 1, 32, 63, 64, 65, 131];
        var providers = CryptoProviders.Default.Available(MacAlgorithm.HmacSha256).Select(c => Mac(c.Provider)).ToList();
        Assert.True(providers.Count >= 2);
        foreach (var keyLength in keyLengths)
        {
            for (var dataLength = 0; dataLength < 200; dataLength += 13)
            {
                var key = RandomNumberGenerator.GetBytes(keyLength);
                var data = RandomNumberGenerator.GetBytes(dataLength);
                var expected = HMACSHA256.HashData(key, data);
                foreach (var mac in providers)
                {
                    var tag = new byte[32];
                    mac.Compute(key, data, tag);
                    Assert.True(expected.AsSpan().SequenceEqual(tag), $"{mac.Provider} differs for a {keyLength}-byte key and {dataLength}-byte message");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Computes_a_pair_of_tags_under_one_key_exactly_as_two_single_calls(string provider)
    {
        // RFC 4231 §4.3 through the pair entry point, then random keys of every shape against the BCL.
        var mac = Mac(provider);
        var first = new byte[32];
        var second = new byte[32];
        mac.ComputePair("Jefe"u8, "what do ya want for nothing?"u8, first, "Hi There"u8, second);
        Assert.Equal(Convert.FromHexString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), first);
        Assert.Equal(HMACSHA256.HashData("Jefe"u8, "Hi There"u8), second);
        foreach (var keyLength in (int[])[0, 1, 32, 64, 65, 131])
        {
            var key = RandomNumberGenerator.GetBytes(keyLength);
            var (a, b) = (RandomNumberGenerator.GetBytes(keyLength % 7), RandomNumberGenerator.GetBytes(70));
            mac.ComputePair(key, a, first, b, second);
            Assert.Equal(HMACSHA256.HashData(key, a), first);
            Assert.Equal(HMACSHA256.HashData(key, b), second);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Computes_a_pair_whose_second_tag_overwrites_the_key_as_a_chain_step_does(string provider)
    {
        // KDF_CK in place: message key = HMAC(ck, 0x01), ck' = HMAC(ck, 0x02) written over ck.
        var chain = RandomNumberGenerator.GetBytes(32);
        var expectedMessageKey = HMACSHA256.HashData(chain, (byte[])[0x01]);
        var expectedNext = HMACSHA256.HashData(chain, (byte[])[0x02]);
        var messageKey = new byte[32];
        Mac(provider).ComputePair(chain, [0x01], messageKey, [0x02], chain);
        Assert.Equal(expectedMessageKey, messageKey);
        Assert.Equal(expectedNext, chain);
        Assert.Throws<MalformedInputException>(() => Mac(provider).ComputePair(chain, [0x01], new byte[31], [0x02], new byte[32]));
        Assert.Throws<MalformedInputException>(() => Mac(provider).ComputePair(chain, [0x01], new byte[32], [0x02], new byte[33]));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Is_safe_to_call_from_several_threads_at_once(string provider)
    {
        var mac = Mac(provider);
        var key = RandomNumberGenerator.GetBytes(32);
        var expected = HMACSHA256.HashData(key, "message"u8);
        Parallel.For(0, 2000, _ =>
        {
            var tag = new byte[32];
            mac.Compute(key, "message"u8, tag);
            Assert.Equal(expected, tag);
        });
    }
}
