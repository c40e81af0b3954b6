using Enigm.Trust.Errors;
using Enigm.Trust.Tests.Transparency.Support;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Trust.Tests.Transparency;

public sealed class TransparencyLogTests
{
    private const int Sizes = 40;

    [Fact]
    public void Empty_log_has_the_empty_tree_root()
    {
        var log = new TransparencyLog(new InMemoryTransparencyLogStore(), "test-log");

        Assert.Equal(0, log.Size);
        Assert.Equal(Convert.FromHexString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), log.Root());
    }

    [Fact]
    public void Roots_of_every_size_equal_the_rfc_definition()
    {
        var (log, leaves) = ReferenceTree.Numbered(70);

        for (var size = 0; size <= leaves.Count; size++)
            Assert.Equal(ReferenceTree.NaiveRoot(leaves[..size]), log.Root(size));
    }

    [Fact]
    public void Tree_stays_correct_across_store_chunk_boundaries()
    {
        // The in-memory store keeps 16,384 hashes per chunk; check sizes and leaves on either side.
        var (log, leaves) = ReferenceTree.Numbered(33_000);

        foreach (var size in new[] { 16_384, 16_385, 32_768, 33_000 })
            Assert.Equal(ReferenceTree.NaiveRoot(leaves[..size]), log.Root(size));
        foreach (var index in new[] { 16_383, 16_384, 32_767, 32_768, 32_999 })
            MerkleVerifier.VerifyInclusion(index, 33_000, leaves[index], log.InclusionProof(index).Path, log.Root());
    }

    [Fact]
    public void Concurrent_appends_build_one_consistent_tree()
    {
        var log = new TransparencyLog(new InMemoryTransparencyLogStore(), "test-log");
        var indexes = new long[2_000];
        Parallel.For(0, indexes.Length, i => indexes[i] = log.AppendLeafHash(MerkleHashing.LeafHash(BitConverter.GetBytes(i))));

        Assert.Equal(Enumerable.Range(0, indexes.Length).Select(i => (long)i), indexes.Order());
        var root = log.Root();
        for (var i = 0; i < indexes.Length; i += 7)
            MerkleVerifier.VerifyInclusion(indexes[i], log.Size, MerkleHashing.LeafHash(BitConverter.GetBytes(i)), log.InclusionProof(indexes[i]).Path, root);
    }

    [Fact]
    public void Inclusion_proofs_for_every_leaf_and_size_verify()
    {
        var (log, leaves) = ReferenceTree.Numbered(Sizes);

        for (var size = 1; size <= Sizes; size++)
        {
            var root = log.Root(size);
            for (var index = 0; index < size; index++)
            {
                var proof = log.InclusionProof(index, size);
                MerkleVerifier.VerifyInclusion(index, size, leaves[index], proof.Path, root);
            }
        }
    }

    [Fact]
    public void Consistency_proofs_for_every_pair_of_sizes_verify()
    {
        var (log, _) = ReferenceTree.Numbered(Sizes);

        for (var second = 1; second <= Sizes; second++)
        {
            for (var first = 1; first <= second; first++)
            {
                var proof = log.ConsistencyProof(first, second);
                MerkleVerifier.VerifyConsistency(first, second, log.Root(first), log.Root(second), proof.Path);
            }
        }
    }

    [Fact]
    public void Inclusion_proof_with_any_flipped_bit_is_rejected()
    {
        var (log, leaves) = ReferenceTree.Numbered(21);
        var root = log.Root();
        var proof = log.InclusionProof(13);

        for (var element = 0; element < proof.Path.Count; element++)
        {
            for (var bit = 0; bit < 256; bit += 37)
            {
                var path = proof.Path.Select(p => (byte[])p.Clone()).ToArray();
                path[element][bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyInclusion(13, 21, leaves[13], path, root));
            }
        }
    }

    [Fact]
    public void Inclusion_proof_for_another_leaf_index_or_size_is_rejected()
    {
        var (log, leaves) = ReferenceTree.Numbered(21);
        var root = log.Root();
        var proof = log.InclusionProof(13);

        Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyInclusion(12, 21, leaves[13], proof.Path, root));
        // Sizes are bound by the signed tree head; a proof alone catches a size that changes its shape.
        Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyInclusion(13, 14, leaves[13], proof.Path, root));
        Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyInclusion(13, 21, leaves[12], proof.Path, root));
        Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyInclusion(13, 21, leaves[13], proof.Path.SkipLast(1).ToArray(), root));
        Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyInclusion(13, 21, leaves[13], [.. proof.Path, leaves[0]], root));
    }

    [Fact]
    public void Consistency_proof_with_any_tampered_element_is_rejected()
    {
        var (log, _) = ReferenceTree.Numbered(29);
        var proof = log.ConsistencyProof(11, 29);
        var (root1, root2) = (log.Root(11), log.Root(29));

        for (var element = 0; element < proof.Path.Count; element++)
        {
            var path = proof.Path.Select(p => (byte[])p.Clone()).ToArray();
            path[element][element % 32] ^= 0x40;
            Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyConsistency(11, 29, root1, root2, path));
        }

        // Sizes are bound by the signed tree heads; a proof alone catches a size that changes its shape.
        Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyConsistency(12, 29, root1, root2, proof.Path));
        Assert.Throws<TransparencyProofException>(() => MerkleVerifier.VerifyConsistency(11, 29, root2, root1, proof.Path));
    }

    [Fact]
    public void Forked_log_fails_the_consistency_check_against_the_original()
    {
        // Same first 16 leaves, then one leaf rewritten: the fork's later heads do not extend the original's.
        var (original, _) = ReferenceTree.Numbered(20);
        var fork = new TransparencyLog(new InMemoryTransparencyLogStore(), "test-log");
        for (var i = 0; i < 24; i++)
            fork.AppendLeafHash(MerkleHashing.LeafHash(System.Text.Encoding.UTF8.GetBytes(i == 17 ? "rewritten" : $"leaf-{i}")));

        // Up to the fork point the two agree, after it they cannot be reconciled.
        MerkleVerifier.VerifyConsistency(16, 24, original.Root(16), fork.Root(24), fork.ConsistencyProof(16, 24).Path);
        Assert.Throws<TransparencyProofException>(() =>
            MerkleVerifier.VerifyConsistency(20, 24, original.Root(20), fork.Root(24), fork.ConsistencyProof(20, 24).Path));
    }

    [Fact]
    public void Proofs_are_logarithmic_in_the_tree_size()
    {
        var (log, _) = ReferenceTree.Numbered(1000);

        Assert.Equal(10, log.InclusionProof(0).Path.Count);
        Assert.True(log.ConsistencyProof(333).Path.Count <= 2 * 10);
    }

    [Fact]
    public void Requests_outside_the_log_are_refused()
    {
        var (log, _) = ReferenceTree.Numbered(5);

        Assert.Throws<ArgumentOutOfRangeException>(() => log.Root(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.InclusionProof(0, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ConsistencyProof(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.ConsistencyProof(4, 3));
    }

    [Fact]
    public void Proof_encodings_round_trip()
    {
        var (log, _) = ReferenceTree.Numbered(13);
        var inclusion = log.InclusionProof(6);
        var consistency = log.ConsistencyProof(5);

        var parsedInclusion = InclusionProof.Parse(inclusion.Encode());
        var parsedConsistency = ConsistencyProof.Parse(consistency.Encode());

        Assert.Equal((6L, 13L), (parsedInclusion.LeafIndex, parsedInclusion.TreeSize));
        Assert.Equal(inclusion.Path.Select(Convert.ToHexString), parsedInclusion.Path.Select(Convert.ToHexString));
        Assert.Equal((5L, 13L), (parsedConsistency.FirstSize, parsedConsistency.SecondSize));
        Assert.Equal(consistency.Path.Select(Convert.ToHexString), parsedConsistency.Path.Select(Convert.ToHexString));
    }
}
