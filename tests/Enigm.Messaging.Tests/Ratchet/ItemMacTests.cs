using System.Buffers.Binary;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

/// <summary>The SPQR item MAC is HMAC-SHA-256(auth, label ‖ u64be(epoch) ‖ item), whichever provider computes it.</summary>
public sealed class ItemMacTests
{
    [Theory]
    [InlineData(ProviderNames.Libsodium)]
    [InlineData(ProviderNames.BouncyCastle)]
    public void The_item_MAC_equals_HMAC_SHA_256_over_label_epoch_and_item_from_another_provider(string provider)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var item = RandomNumberGenerator.GetBytes(1184);
        var input = new byte[2 + 8 + item.Length];
        "ek"u8.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(2), 7);
        item.CopyTo(input, 10);
        var expected = new byte[32];
        CryptoProviders.Default.Create<IMac>(MacAlgorithm.HmacSha256, provider).Compute(key, input, expected);

        Assert.Equal(expected, RatchetKdf.ItemMac(key, "ek"u8, 7, item));
        Assert.NotEqual(expected, RatchetKdf.ItemMac(key, "ct"u8, 7, item));
    }
}
