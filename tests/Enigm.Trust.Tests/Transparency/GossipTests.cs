using System.Security.Cryptography;
using Enigm.Trust.Errors;
using Enigm.Trust.Tests.Transparency.Support;
using Enigm.Trust.Transparency;
using Xunit;

namespace Enigm.Trust.Tests.Transparency;

public sealed class GossipTests
{
    private static readonly TreeHeadVerifier Verifier = new("gossip-log", LogKeys.Log.PublicKey);

    [Fact]
    public void Heads_of_one_growing_log_are_consistent()
    {
        var log = Grow(new TransparencyLog(new InMemoryTransparencyLogStore(), "gossip-log"), 6);
        var early = log.SignTreeHead(LogKeys.Log, LogKeys.Now);
        Grow(log, 9);
        var late = log.SignTreeHead(LogKeys.Log, LogKeys.Now.AddMinutes(1));
        var proof = log.ConsistencyProof(6);

        Gossip.Compare(Verifier, early, late, proof);
        Gossip.Compare(Verifier, late, early, proof);
        Gossip.Compare(Verifier, late, log.SignTreeHead(LogKeys.Log, LogKeys.Now.AddMinutes(2)));
    }

    [Fact]
    public void Same_size_with_different_roots_is_a_split_view()
    {
        var shownToAlice = Grow(new TransparencyLog(new InMemoryTransparencyLogStore(), "gossip-log"), 10, "alice's view");
        var shownToBob = Grow(new TransparencyLog(new InMemoryTransparencyLogStore(), "gossip-log"), 10, "bob's view");

        Assert.Throws<SplitViewException>(() => Gossip.Compare(
            Verifier, shownToAlice.SignTreeHead(LogKeys.Log, LogKeys.Now), shownToBob.SignTreeHead(LogKeys.Log, LogKeys.Now)));
    }

    [Fact]
    public void Forked_log_heads_of_different_sizes_are_a_split_view()
    {
        var main = Grow(new TransparencyLog(new InMemoryTransparencyLogStore(), "gossip-log"), 7);
        var fork = Grow(new TransparencyLog(new InMemoryTransparencyLogStore(), "gossip-log"), 4);
        Grow(fork, 8, "forked");

        // The server can only offer a proof from its fork; it does not link Alice's head to Bob's.
        Assert.Throws<SplitViewException>(() => Gossip.Compare(
            Verifier, main.SignTreeHead(LogKeys.Log, LogKeys.Now), fork.SignTreeHead(LogKeys.Log, LogKeys.Now), fork.ConsistencyProof(7)));
    }

    [Fact]
    public void Unsigned_heads_and_missing_or_mismatched_proofs_are_refused()
    {
        var log = Grow(new TransparencyLog(new InMemoryTransparencyLogStore(), "gossip-log"), 5);
        var a = log.SignTreeHead(LogKeys.Log, LogKeys.Now);
        Grow(log, 3);
        var b = log.SignTreeHead(LogKeys.Log, LogKeys.Now);

        Assert.Throws<TransparencyProofException>(() => Gossip.Compare(Verifier, a, log.SignTreeHead(LogKeys.Other, LogKeys.Now), log.ConsistencyProof(5)));
        Assert.Throws<TransparencyProofException>(() => Gossip.Compare(Verifier, a, b));
        Assert.Throws<TransparencyProofException>(() => Gossip.Compare(Verifier, a, b, log.ConsistencyProof(4)));
    }

    private static TransparencyLog Grow(TransparencyLog log, int count, string label = "entry")
    {
        for (var i = 0; i < count; i++)
            log.AppendLeafHash(MerkleHashing.LeafHash(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{label}-{log.Size}"))));
        return log;
    }
}
