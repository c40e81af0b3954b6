using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Enigm.Trust.Accounts;
using Enigm.Trust.Verification;
using Xunit;

namespace Enigm.Trust.Tests.Verification;

public sealed class SafetyNumberTests
{
    [Fact]
    public void Is_60_digits_in_12_groups_of_5()
    {
        var number = SafetyNumbers.For(Fingerprints.Alice, Fingerprints.Bob);

        Assert.Equal(60, number.Digits.Length);
        Assert.All(number.Digits, c => Assert.True(char.IsAsciiDigit(c)));
        Assert.Equal(12, number.Groups.Count);
        Assert.All(number.Groups, g => Assert.Equal(5, g.Length));
        Assert.Equal(number.Digits, string.Concat(number.Groups));
        Assert.Equal(string.Join(' ', number.Groups), number.ToString());
    }

    [Fact]
    public void Is_identical_on_both_sides_whatever_the_argument_order()
    {
        var aliceSide = SafetyNumbers.For(Fingerprints.Alice, Fingerprints.Bob);
        var bobSide = SafetyNumbers.For(Fingerprints.Bob, Fingerprints.Alice);

        Assert.Equal(aliceSide.Digits, bobSide.Digits);
    }

    [Fact]
    public void Changes_when_either_fingerprint_changes()
    {
        var original = SafetyNumbers.For(Fingerprints.Alice, Fingerprints.Bob).Digits;

        Assert.NotEqual(original, SafetyNumbers.For(Fingerprints.Mallory, Fingerprints.Bob).Digits);
        Assert.NotEqual(original, SafetyNumbers.For(Fingerprints.Alice, Fingerprints.Mallory).Digits);
        var oneBitFlipped = Fingerprints.Bob.Bytes.ToArray();
        oneBitFlipped[31] ^= 1;
        Assert.NotEqual(original, SafetyNumbers.For(Fingerprints.Alice, new AccountFingerprint(oneBitFlipped)).Digits);
    }

    [Fact]
    public void Is_the_sorted_concatenation_of_the_two_halves()
    {
        var a = SafetyNumbers.HalfFor(Fingerprints.Alice);
        var b = SafetyNumbers.HalfFor(Fingerprints.Bob);

        var expected = string.CompareOrdinal(a, b) <= 0 ? a + b : b + a;
        Assert.Equal(expected, SafetyNumbers.For(Fingerprints.Alice, Fingerprints.Bob).Digits);
    }

    [Fact]
    public void Half_follows_the_documented_iterated_sha512()
    {
        // docs/trust-verification.md, written out here with the BCL's SHA-512 instead of the provider.
        var key = Fingerprints.Alice.Bytes.ToArray();
        var hash = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(hash, 1);
        hash = [.. hash, .. key, .. "enigm/safety-number/v1"u8];
        for (var i = 0; i < 5200; i++) hash = SHA512.HashData([.. hash, .. key]);
        var expected = string.Concat(Enumerable.Range(0, 6).Select(c =>
        {
            ulong v = 0;
            for (var j = 0; j < 5; j++) v = (v << 8) | hash[(c * 5) + j];
            return (v % 100000).ToString("D5", CultureInfo.InvariantCulture);
        }));

        Assert.Equal(expected, SafetyNumbers.HalfFor(Fingerprints.Alice));
    }
}
