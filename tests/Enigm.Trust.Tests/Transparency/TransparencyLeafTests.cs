using Enigm.Crypto.Errors;
using Enigm.Trust.Accounts;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Trust.Tests.Transparency;

public sealed class TransparencyLeafTests
{
    private static readonly AccountFingerprint Account = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Leaf_encodes_version_fingerprint_head_and_big_endian_sequence()
    {
        var head = Enumerable.Repeat((byte)0xAB, 32).ToArray();
        var encoded = new TransparencyLeaf(Account, head, 0x0102030405060708).Encode();

        Assert.Equal(73, encoded.Length);
        Assert.Equal(1, encoded[0]);
        Assert.Equal(Account.Bytes.ToArray(), encoded[1..33]);
        Assert.Equal(head, encoded[33..65]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, encoded[65..]);
    }

    [Fact]
    public void Leaf_round_trips_and_hashes_with_the_leaf_prefix()
    {
        var leaf = new TransparencyLeaf(Account, new byte[32], 7);

        Assert.Equal(leaf, TransparencyLeaf.Parse(leaf.Encode()));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData([0x00, .. leaf.Encode()]), leaf.LeafHash());
    }

    [Fact]
    public void Malformed_leaves_are_rejected()
    {
        var encoded = new TransparencyLeaf(Account, new byte[32], 7).Encode();

        Assert.Throws<MalformedInputException>(() => TransparencyLeaf.Parse(encoded[..^1]));
        Assert.Throws<MalformedInputException>(() => TransparencyLeaf.Parse([.. encoded, 0]));
        encoded[0] = 2;
        Assert.Throws<UnsupportedFormatVersionException>(() => TransparencyLeaf.Parse(encoded));
        Assert.Throws<MalformedInputException>(() => new TransparencyLeaf(Account, new byte[31], 1));
    }
}
