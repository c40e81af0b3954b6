using Enigm.Trust.Errors;

namespace Enigm.Trust.Transparency;

/// <summary>
/// Two clients comparing the tree heads they were served (gossip). Honest logs show everyone one
/// append-only history, so two signed heads must be the same tree, or the larger must extend the smaller.
/// A log that shows different histories to different clients (a split view, or a fork) is caught here.
/// </summary>
public static class Gossip
{
    /// <summary>
    /// Returns normally when <paramref name="a"/> and <paramref name="b"/> are consistent. Both heads must
    /// be signed by the log (<see cref="TransparencyProofException"/> otherwise: an unsigned head proves
    /// nothing). Same size with different roots, or different sizes whose <paramref name="proof"/> (from
    /// the smaller to the larger) does not verify, throw <see cref="SplitViewException"/>.
    /// </summary>
    public static void Compare(TreeHeadVerifier verifier, SignedTreeHead a, SignedTreeHead b, ConsistencyProof? proof = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        verifier.Verify(a);
        verifier.Verify(b);
        if (a.TreeSize == b.TreeSize)
        {
            if (!a.RootHash.SequenceEqual(b.RootHash))
                throw new SplitViewException($"Log '{a.LogId}' signed two different roots for size {a.TreeSize}: a split view.");
            return;
        }

        var (older, newer) = a.TreeSize < b.TreeSize ? (a, b) : (b, a);
        // The empty tree is a prefix of every tree.
        if (older.TreeSize == 0) return;
        if (proof is null)
            throw new TransparencyProofException($"Comparing sizes {older.TreeSize} and {newer.TreeSize} needs a consistency proof.");
        if (proof.FirstSize != older.TreeSize || proof.SecondSize != newer.TreeSize)
            throw new TransparencyProofException($"Consistency proof is for sizes {proof.FirstSize}→{proof.SecondSize}, not {older.TreeSize}→{newer.TreeSize}.");
        try
        {
            MerkleVerifier.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, proof.Path);
        }
        catch (TransparencyProofException e)
        {
            throw new SplitViewException($"Log '{a.LogId}' heads at sizes {older.TreeSize} and {newer.TreeSize} are not one append-only history: {e.Message}");
        }
    }
}
