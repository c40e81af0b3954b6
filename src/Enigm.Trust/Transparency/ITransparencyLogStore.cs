namespace Enigm.Trust.Transparency;

/// <summary>
/// Where a <see cref="TransparencyLog"/> keeps its tree. The tree is stored as complete-subtree hashes per
/// level: node (level L, index i) is the root of the perfect subtree over leaves [i·2^L, (i+1)·2^L), and
/// level 0 holds the leaf hashes. Nodes never change once written (the log is append-only), so any
/// proof needs O(log n) reads. Storage is about 2n hashes (64 bytes per leaf).
/// </summary>
public interface ITransparencyLogStore
{
    /// <summary>Number of leaves (nodes at level 0).</summary>
    long Size { get; }

    /// <summary>
    /// Appends one leaf atomically: <paramref name="newNodes"/> holds <paramref name="count"/> 32-byte
    /// hashes, the leaf hash first and then, for each level k ≥ 1 in order, the subtree that the leaf
    /// completed at level k (the next node of that level).
    /// </summary>
    void Append(ReadOnlySpan<byte> newNodes, int count);

    /// <summary>Copies node (<paramref name="level"/>, <paramref name="index"/>) to <paramref name="destination"/> (32 bytes).</summary>
    void ReadNode(int level, long index, Span<byte> destination);
}
