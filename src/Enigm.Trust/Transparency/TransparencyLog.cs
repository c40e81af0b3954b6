using System.Numerics;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;

namespace Enigm.Trust.Transparency;

/// <summary>
/// The server side of key transparency: an append-only RFC 9162 Merkle tree over
/// <see cref="TransparencyLeaf"/> entries, kept in an <see cref="ITransparencyLogStore"/> as
/// complete-subtree hashes per level. Appending costs one leaf hash plus amortised one node hash;
/// roots and proofs for any earlier size read O(log² n) stored nodes at most. Thread-safe.
/// </summary>
public sealed class TransparencyLog
{
    private const int H = MerkleHashing.HashSize;

    private readonly ITransparencyLogStore _store;
    private readonly Lock _lock = new();

    /// <param name="store">Where the tree lives.</param>
    /// <param name="logId">Name of this log, bound into every signed tree head (1–128 UTF-8 bytes).</param>
    /// <param name="suite">Suite of the tree heads (its device signature signs them); suite 1 by default.</param>
    public TransparencyLog(ITransparencyLogStore store, string logId, Suite? suite = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        SignedTreeHead.CheckLogId(logId);
        _store = store;
        LogId = logId;
        Suite = suite ?? SuiteRegistry.Suite1;
    }

    public string LogId { get; }

    public Suite Suite { get; }

    /// <summary>Number of leaves.</summary>
    public long Size
    {
        get
        {
            lock (_lock) return _store.Size;
        }
    }

    /// <summary>Appends a leaf and returns its index.</summary>
    public long Append(TransparencyLeaf leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return AppendLeafHash(leaf.LeafHash());
    }

    /// <summary>Appends an already computed RFC 9162 leaf hash and returns its index.</summary>
    public long AppendLeafHash(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != H) throw new ArgumentException($"A leaf hash is {H} bytes.", nameof(leafHash));
        lock (_lock)
        {
            var index = _store.Size;
            // The new leaf completes one subtree per trailing 1 bit of its index: each is the node hash
            // of the stored left sibling and the subtree just completed on the right.
            var completed = BitOperations.TrailingZeroCount(~index);
            Span<byte> nodes = stackalloc byte[(completed + 1) * H];
            leafHash.CopyTo(nodes);
            Span<byte> left = stackalloc byte[H];
            var position = index;
            for (var level = 0; level < completed; level++)
            {
                _store.ReadNode(level, position - 1, left);
                MerkleHashing.NodeHash(left, nodes.Slice(level * H, H), nodes.Slice((level + 1) * H, H));
                position >>= 1;
            }

            _store.Append(nodes, completed + 1);
            return index;
        }
    }

    /// <summary>MTH of the first <paramref name="treeSize"/> leaves (RFC 9162 §2.1.1); the current root by default.</summary>
    public byte[] Root(long? treeSize = null)
    {
        lock (_lock)
        {
            var size = CheckSize(treeSize ?? _store.Size);
            return size == 0 ? MerkleHashing.EmptyRoot.ToArray() : SubtreeHash(0, size);
        }
    }

    /// <summary>The audit path of leaf <paramref name="leafIndex"/> in the tree of <paramref name="treeSize"/> leaves (RFC 9162 §2.1.3.1).</summary>
    public InclusionProof InclusionProof(long leafIndex, long? treeSize = null)
    {
        lock (_lock)
        {
            var size = CheckSize(treeSize ?? _store.Size);
            ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, size);
            var path = new List<byte[]>();
            // PATH(m, D[n]): descend towards leaf m, collecting the root of the other half at each split.
            // Collected top-down, so reversed at the end (the proof lists the leaf's sibling first).
            long start = 0, n = size, m = leafIndex;
            while (n > 1)
            {
                var k = MerkleHashing.SplitPoint(n);
                if (m < k)
                {
                    path.Add(SubtreeHash(start + k, n - k));
                    n = k;
                }
                else
                {
                    path.Add(SubtreeHash(start, k));
                    start += k;
                    m -= k;
                    n -= k;
                }
            }

            path.Reverse();
            return new InclusionProof(leafIndex, size, path);
        }
    }

    /// <summary>PROOF(m, D[n]) between tree sizes <paramref name="firstSize"/> and <paramref name="secondSize"/> (RFC 9162 §2.1.4.1).</summary>
    public ConsistencyProof ConsistencyProof(long firstSize, long? secondSize = null)
    {
        lock (_lock)
        {
            var second = CheckSize(secondSize ?? _store.Size);
            ArgumentOutOfRangeException.ThrowIfLessThan(firstSize, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(firstSize, second);
            var path = new List<byte[]>();
            var n = second;

            // SUBPROOF(m, D[start:start+n], b), iteratively; collected top-down and reversed at the end.
            long start = 0, m = firstSize;
            var wholeFirstTree = true;
            while (m != n)
            {
                var k = MerkleHashing.SplitPoint(n);
                if (m <= k)
                {
                    path.Add(SubtreeHash(start + k, n - k));
                    n = k;
                }
                else
                {
                    path.Add(SubtreeHash(start, k));
                    start += k;
                    m -= k;
                    n -= k;
                    wholeFirstTree = false;
                }
            }

            // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b still true the verifier knows it already.
            if (!wholeFirstTree) path.Add(SubtreeHash(start, m));
            path.Reverse();
            return new ConsistencyProof(firstSize, second, path);
        }
    }

    /// <summary>
    /// Signs the head of the current tree with the log key (the suite's device-signature algorithm),
    /// outside the tree lock so appends are not held up by the signature.
    /// </summary>
    public SignedTreeHead SignTreeHead(PrivateKey logKey, DateTimeOffset timestamp, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        long size;
        byte[] root;
        lock (_lock)
        {
            size = _store.Size;
            root = size == 0 ? MerkleHashing.EmptyRoot.ToArray() : SubtreeHash(0, size);
        }

        ISignatureScheme scheme = (providers ?? CryptoProviders.Default).Signature(Suite.DeviceSignature);
        return SignedTreeHead.Sign(scheme, logKey, LogId, size, root, timestamp, Suite.Id);
    }

    private long CheckSize(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, _store.Size);
        return size;
    }

    /// <summary>MTH(D[start:start+count]) for start a multiple of the largest power of two ≤ count, as RFC 9162's recursion produces.</summary>
    private byte[] SubtreeHash(long start, long count)
    {
        var result = new byte[H];
        SubtreeHash(start, count, result);
        return result;
    }

    private void SubtreeHash(long start, long count, Span<byte> destination)
    {
        if ((count & (count - 1)) == 0)
        {
            // A perfect subtree aligned on its size: stored.
            var level = BitOperations.TrailingZeroCount(count);
            _store.ReadNode(level, start >> level, destination);
            return;
        }

        // §2.1.1: MTH(D[n]) = HASH(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])) with k the largest power of two < n.
        var k = MerkleHashing.SplitPoint(count);
        Span<byte> left = stackalloc byte[H];
        Span<byte> right = stackalloc byte[H];
        SubtreeHash(start, k, left);
        SubtreeHash(start + k, count - k, right);
        MerkleHashing.NodeHash(left, right, destination);
    }
}
