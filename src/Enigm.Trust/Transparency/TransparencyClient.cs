using Enigm.Trust.Accounts;
using Enigm.Trust.Errors;

namespace Enigm.Trust.Transparency;

/// <summary>
/// The client side of key transparency for one log. It checks that a fetched device-log head is in the
/// log (an inclusion proof under a signed tree head) and keeps the newest tree head it has verified in an
/// <see cref="ITreeHeadStore"/>: a newer head is accepted only with a consistency proof from the
/// remembered one (RFC 9162 §2.1.4), so the log can only grow. An older head, a failing proof or a
/// second root for the remembered size is refused, and the remembered head is left unchanged.
/// </summary>
public sealed class TransparencyClient(TreeHeadVerifier verifier, ITreeHeadStore store)
{
    private readonly TreeHeadVerifier _verifier = verifier ?? throw new ArgumentNullException(nameof(verifier));
    private readonly ITreeHeadStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The newest verified tree head, or null before the first.</summary>
    public SignedTreeHead? Current => _store.Load(_verifier.LogId);

    /// <summary>
    /// Verifies <paramref name="treeHead"/> and makes it the remembered head. The first head is taken on
    /// trust (signature only); after that <paramref name="proof"/> must prove consistency from the
    /// remembered size to the new one. Refusals: <see cref="TransparencyProofException"/> (bad signature,
    /// older head, missing or failing proof) and <see cref="SplitViewException"/> (same size, other root).
    /// </summary>
    public void Update(SignedTreeHead treeHead, ConsistencyProof? proof = null)
    {
        _verifier.Verify(treeHead);
        var remembered = _store.Load(_verifier.LogId);
        if (remembered is null)
        {
            _store.Save(treeHead);
            return;
        }

        if (treeHead.TreeSize < remembered.TreeSize)
            throw new TransparencyProofException($"Tree head at size {treeHead.TreeSize} is older than the remembered size {remembered.TreeSize} (rollback).");
        if (treeHead.TreeSize == remembered.TreeSize)
        {
            if (!treeHead.RootHash.SequenceEqual(remembered.RootHash))
                throw new SplitViewException($"Log '{treeHead.LogId}' signed two different roots for size {treeHead.TreeSize}.");
            if (treeHead.Timestamp > remembered.Timestamp) _store.Save(treeHead);
            return;
        }

        // A remembered empty tree commits to nothing, so any larger tree extends it.
        if (remembered.TreeSize > 0)
        {
            if (proof is null)
                throw new TransparencyProofException($"A consistency proof from size {remembered.TreeSize} to {treeHead.TreeSize} is required.");
            if (proof.FirstSize != remembered.TreeSize || proof.SecondSize != treeHead.TreeSize)
                throw new TransparencyProofException($"Consistency proof is for sizes {proof.FirstSize}→{proof.SecondSize}, not {remembered.TreeSize}→{treeHead.TreeSize}.");
            MerkleVerifier.VerifyConsistency(remembered.TreeSize, treeHead.TreeSize, remembered.RootHash, treeHead.RootHash, proof.Path);
        }

        _store.Save(treeHead);
    }

    /// <summary>
    /// Checks that <paramref name="leaf"/> is in the log under <paramref name="treeHead"/>, which must be
    /// signed by the log and must be (or have just become, through <see cref="Update"/>) consistent with
    /// the remembered head. Pass the consistency proof when the head is newer than the remembered one.
    /// </summary>
    public void VerifyInclusion(TransparencyLeaf leaf, InclusionProof proof, SignedTreeHead treeHead, ConsistencyProof? consistency = null)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(proof);
        Update(treeHead, consistency);
        if (proof.TreeSize != treeHead.TreeSize)
            throw new TransparencyProofException($"Inclusion proof is for tree size {proof.TreeSize}, the tree head for {treeHead.TreeSize}.");
        MerkleVerifier.VerifyInclusion(proof.LeafIndex, proof.TreeSize, leaf.LeafHash(), proof.Path, treeHead.RootHash);
    }

    /// <summary>
    /// Checks a device-log head fetched for <paramref name="account"/> (its head hash and sequence) against
    /// the log: the same as <see cref="VerifyInclusion"/> with the leaf those values make.
    /// </summary>
    public void VerifyDeviceLogHead(AccountFingerprint account, ReadOnlySpan<byte> headHash, ulong sequence, InclusionProof proof, SignedTreeHead treeHead, ConsistencyProof? consistency = null) =>
        VerifyInclusion(new TransparencyLeaf(account, headHash, sequence), proof, treeHead, consistency);
}
