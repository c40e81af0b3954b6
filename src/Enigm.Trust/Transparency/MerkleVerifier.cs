using Enigm.Trust.Errors;

namespace Enigm.Trust.Transparency;

/// <summary>
/// Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs. Both fail closed
/// with <see cref="TransparencyProofException"/>: a size out of range, a path element that is not a
/// 32-byte hash, a path of the wrong length, or a recomputed root that does not match.
/// </summary>
public static class MerkleVerifier
{
    /// <summary>No proof for a tree of at most 2^63 leaves is longer than this; longer paths are refused before any hashing.</summary>
    public const int MaxPathLength = 64;

    /// <summary>Checks that <paramref name="leafHash"/> is leaf <paramref name="leafIndex"/> of the tree of <paramref name="treeSize"/> leaves whose root is <paramref name="root"/>.</summary>
    public static void VerifyInclusion(long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        // §2.1.3.2 step 1: the index must lie inside the tree (so the empty tree proves nothing).
        if (leafIndex < 0 || treeSize <= 0 || leafIndex >= treeSize)
            throw new TransparencyProofException($"Leaf index {leafIndex} is outside a tree of size {treeSize}.");
        CheckHash(leafHash, "leaf hash");
        CheckHash(root, "root hash");
        CheckPath(path);

        // Steps 2-3: fn walks the leaf's position, sn the last position, up the tree.
        var fn = leafIndex;
        var sn = treeSize - 1;
        Span<byte> r = stackalloc byte[MerkleHashing.HashSize];
        leafHash.CopyTo(r);

        // Step 4: fold each path element in on the side the position bits say.
        foreach (var p in path)
        {
            if (sn == 0)
                throw new TransparencyProofException("Inclusion proof is longer than the path to the root.");
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHashing.NodeHash(p, r, r);
                if ((fn & 1) == 0)
                {
                    // A right-edge node with no right sibling: skip the levels where it is promoted unchanged.
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                MerkleHashing.NodeHash(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 5: the whole path must have been used and lead to the root.
        if (sn != 0)
            throw new TransparencyProofException("Inclusion proof is shorter than the path to the root.");
        if (!r.SequenceEqual(root))
            throw new TransparencyProofException($"Inclusion proof for leaf {leafIndex} does not lead to the root of tree size {treeSize}.");
    }

    /// <summary>
    /// Checks that the tree of <paramref name="secondSize"/> leaves with root <paramref name="secondRoot"/>
    /// extends the tree of <paramref name="firstSize"/> leaves with root <paramref name="firstRoot"/>
    /// (append-only). Equal sizes need an empty proof and equal roots; a first size of 0 is refused
    /// (RFC 9162 §2.1.4 defines proofs for 0 &lt; first &lt; second: an empty tree commits to nothing).
    /// </summary>
    public static void VerifyConsistency(long firstSize, long secondSize, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (firstSize <= 0 || secondSize <= 0)
            throw new TransparencyProofException($"Consistency proofs need non-empty trees (sizes {firstSize} and {secondSize}).");
        if (firstSize > secondSize)
            throw new TransparencyProofException($"Tree size {secondSize} is older than {firstSize}: a log never shrinks.");
        if (firstSize == secondSize)
        {
            // Same tree: nothing to prove but equality (§2.1.4.1: SUBPROOF(m, D[m], true) is empty).
            if (path.Count != 0)
                throw new TransparencyProofException("Trees of equal size need an empty consistency proof.");
            if (!firstRoot.SequenceEqual(secondRoot))
                throw new TransparencyProofException($"Two different roots for tree size {firstSize}.");
            return;
        }

        CheckHash(firstRoot, "first root hash");
        CheckHash(secondRoot, "second root hash");
        // §2.1.4.2 step 1: a proof between different sizes is never empty.
        if (path.Count == 0)
            throw new TransparencyProofException("Consistency proof is empty.");
        CheckPath(path);

        // Step 2: when the first tree is a complete subtree its root is not sent; it starts the walk.
        IEnumerable<byte[]> elements = path;
        if ((firstSize & (firstSize - 1)) == 0)
            elements = path.Prepend(firstRoot.ToArray());

        // Step 3-4: positions of the last leaf of each tree; skip the levels where the first tree's
        // last node is a right child that the proof does not need.
        var fn = firstSize - 1;
        var sn = secondSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        Span<byte> fr = stackalloc byte[MerkleHashing.HashSize];
        Span<byte> sr = stackalloc byte[MerkleHashing.HashSize];
        var first = true;
        foreach (var c in elements)
        {
            if (first)
            {
                // Step 5: both running hashes start from the first element.
                c.CopyTo(fr);
                c.CopyTo(sr);
                first = false;
                continue;
            }

            // Step 6.
            if (sn == 0)
                throw new TransparencyProofException("Consistency proof is longer than needed.");
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHashing.NodeHash(c, fr, fr);
                MerkleHashing.NodeHash(c, sr, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                MerkleHashing.NodeHash(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 7.
        if (sn != 0)
            throw new TransparencyProofException("Consistency proof is shorter than needed.");
        if (!fr.SequenceEqual(firstRoot))
            throw new TransparencyProofException($"Consistency proof does not reproduce the root of tree size {firstSize}.");
        if (!sr.SequenceEqual(secondRoot))
            throw new TransparencyProofException($"Consistency proof does not reproduce the root of tree size {secondSize}.");
    }

    private static void CheckHash(ReadOnlySpan<byte> hash, string what)
    {
        if (hash.Length != MerkleHashing.HashSize)
            throw new TransparencyProofException($"The {what} is {hash.Length} bytes, not {MerkleHashing.HashSize}.");
    }

    private static void CheckPath(IReadOnlyList<byte[]> path)
    {
        if (path.Count > MaxPathLength)
            throw new TransparencyProofException($"Proof of {path.Count} hashes exceeds {MaxPathLength}.");
        for (var i = 0; i < path.Count; i++)
        {
            if (path[i] is null || path[i].Length != MerkleHashing.HashSize)
                throw new TransparencyProofException($"Proof element {i} is not a {MerkleHashing.HashSize}-byte hash.");
        }
    }
}
