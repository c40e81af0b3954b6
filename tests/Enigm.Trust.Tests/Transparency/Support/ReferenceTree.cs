using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Trust.Tests.Transparency.Support;

/// <summary>
/// Test trees: the Certificate Transparency reference leaves (the tree behind vectors/merkle) and
/// an independent, deliberately naive MTH straight from RFC 9162 §2.1.1 to check the log against.
/// </summary>
internal static class ReferenceTree
{
    /// <summary>The eight leaf inputs of the CT reference test tree.</summary>
    public static readonly byte[][] Leaves =
    [
        [],
        [0x00],
        [0x10],
        [0x20, 0x21],
        [0x30, 0x31],
        [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    public static TransparencyLog Build(int size)
    {
        var log = new TransparencyLog(new InMemoryTransparencyLogStore(), "test-log");
        foreach (var leaf in Leaves.Take(size)) log.AppendLeafHash(MerkleHashing.LeafHash(leaf));
        return log;
    }

    /// <summary>A log over <paramref name="count"/> leaves "leaf-0", "leaf-1", …, and those leaf hashes.</summary>
    public static (TransparencyLog Log, List<byte[]> LeafHashes) Numbered(int count, string logId = "test-log")
    {
        var log = new TransparencyLog(new InMemoryTransparencyLogStore(), logId);
        var hashes = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var hash = MerkleHashing.LeafHash(System.Text.Encoding.UTF8.GetBytes($"leaf-{i}"));
            hashes.Add(hash);
            Assert.Equal(i, log.AppendLeafHash(hash));
        }

        return (log, hashes);
    }

    /// <summary>MTH(D[n]) by the recursive definition of RFC 9162 §2.1.1.</summary>
    public static byte[] NaiveRoot(IReadOnlyList<byte[]> leafHashes)
    {
        if (leafHashes.Count == 0) return MerkleHashing.EmptyRoot.ToArray();
        if (leafHashes.Count == 1) return leafHashes[0];
        var k = 1;
        while (k * 2 < leafHashes.Count) k *= 2;
        return MerkleHashing.NodeHash(NaiveRoot([.. leafHashes.Take(k)]), NaiveRoot([.. leafHashes.Skip(k)]));
    }
}
