using System.Security.Cryptography;

namespace Enigm.Trust.Transparency;

/// <summary>
/// RFC 9162 §2.1.1 Merkle tree hashing with SHA-256: a leaf hash is SHA-256(0x00 ‖ leaf), an interior
/// node is SHA-256(0x01 ‖ left ‖ right), and the empty tree's hash is SHA-256 of the empty string.
/// The distinct prefixes keep a leaf from being passed off as an interior node (second preimages).
/// </summary>
public static class MerkleHashing
{
    /// <summary>Size of every hash in the tree (SHA-256).</summary>
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    private static readonly byte[] EmptyTreeHash = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>MTH({}) = SHA-256() (RFC 9162 §2.1.1).</summary>
    public static ReadOnlySpan<byte> EmptyRoot => EmptyTreeHash;

    /// <summary>MTH({d(0)}) = SHA-256(0x00 ‖ d(0)).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        if (leaf.Length < 256)
        {
            // Leaves are small (a transparency leaf is 73 bytes): hash in one call, without allocating a hasher.
            Span<byte> input = stackalloc byte[1 + leaf.Length];
            input[0] = LeafPrefix;
            leaf.CopyTo(input[1..]);
            return SHA256.HashData(input);
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([LeafPrefix]);
        sha.AppendData(leaf);
        return sha.GetHashAndReset();
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right), written to <paramref name="destination"/> (which may alias either input).</summary>
    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + (2 * HashSize)];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right) as a new array.</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var result = new byte[HashSize];
        NodeHash(left, right, result);
        return result;
    }

    /// <summary>The largest power of two strictly smaller than <paramref name="n"/> (n ≥ 2): RFC 9162's split point k.</summary>
    internal static long SplitPoint(long n) => 1L << (63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1)));
}
