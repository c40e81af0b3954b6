using Enigm.Crypto.Tests.Support;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Xunit;

namespace Enigm.Messaging.Tests.Prekeys;

public sealed class X25519PublicKeysTests
{
    [Fact]
    public void Refuses_every_Wycheproof_low_order_public_key()
    {
        using var vectors = VectorFiles.Load("wycheproof/x25519_test.json");
        var lowOrder = vectors.RootElement.GetProperty("testGroups").EnumerateArray()
            .SelectMany(g => g.GetProperty("tests").EnumerateArray())
            .Where(t => t.GetProperty("flags").EnumerateArray().Any(f => f.GetString() is "ZeroSharedSecret" or "LowOrderPublic"))
            .Select(t => t.GetProperty("public").GetString()!)
            .Distinct()
            .ToList();

        Assert.True(lowOrder.Count >= 10);
        foreach (var hex in lowOrder)
            Assert.Throws<SetupKeyInvalidException>(() => X25519PublicKeys.Check(Convert.FromHexString(hex), "key"));
    }

    [Theory]
    [InlineData("0900000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", true)]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", false)]
    [InlineData("0900000000000000000000000000000000000000000000000000000000000080", false)]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", false)]
    public void Canonical_means_below_p_with_the_top_bit_clear(string hex, bool canonical) =>
        Assert.Equal(canonical, X25519PublicKeys.IsCanonical(Convert.FromHexString(hex)));

    [Fact]
    public void Accepts_an_ordinary_key_and_refuses_a_short_one()
    {
        X25519PublicKeys.Check(Convert.FromHexString("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), "key");
        Assert.Throws<SetupKeyInvalidException>(() => X25519PublicKeys.Check(new byte[31], "key"));
    }
}
