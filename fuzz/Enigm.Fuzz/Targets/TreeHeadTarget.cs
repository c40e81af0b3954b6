using Enigm.Crypto.Algorithms;
using Enigm.Trust.Transparency;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The key-transparency parsers: <see cref="SignedTreeHead.Parse"/> (then <c>Verify</c> against a fixed
/// id-MLDSA65-Ed25519-SHA512 log key), <see cref="InclusionProof.Parse"/> and
/// <see cref="ConsistencyProof.Parse"/> (then verified against a fixed 13-leaf tree). Input: byte 0 picks
/// the parser (0 tree head, 1 inclusion proof, 2 consistency proof), the rest is the encoding. Rejections
/// are typed (<c>MalformedInputException</c>, <c>UnsupportedFormatVersionException</c>, suite errors,
/// <c>TransparencyProofException</c>). Accepted input must re-encode to the same bytes; an accepted tree
/// head must be one the fixture signed and an accepted proof must be the one the tree generates.
/// </summary>
internal static class TreeHeadTarget
{
    private const int TreeSize = 13;

    private static readonly SignatureAlgorithm LogAlgorithm = SignatureAlgorithm.MlDsa65Ed25519;

    private static readonly Lazy<TreeFixture> Fixture = new(TreeFixture.Create);

    public static FuzzTarget Target { get; } = new(
        "tree-head",
        "SignedTreeHead / InclusionProof / ConsistencyProof parsers (byte 0 picks), then verification against a fixed log; canonical round trip, no forged heads or proofs.",
        static () => _ = Fixture.Value,
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) throw HarnessReject.Empty();
        var body = input[1..].ToArray();
        var fixture = Fixture.Value;
        switch (input[0] % 3)
        {
            case 0:
                var head = SignedTreeHead.Parse(body);
                FuzzInvariantException.Check(head.Encode().AsSpan().SequenceEqual(body), "tree head does not re-encode to its input");
                head.Verify(fixture.PublicKey);
                // Signatures are hedged (a new one each run), so compare the signed content, not the signature bytes.
                FuzzInvariantException.Check(fixture.Signed.Any(s => s.SameTree(head) && s.Timestamp == head.Timestamp && s.SuiteId == head.SuiteId), "accepted a tree head the log key never signed (forgery)");
                break;
            case 1:
                var inclusion = InclusionProof.Parse(body);
                FuzzInvariantException.Check(inclusion.Encode().AsSpan().SequenceEqual(body), "inclusion proof does not re-encode to its input");
                if (inclusion.TreeSize > TreeSize) return;
                MerkleVerifier.VerifyInclusion(inclusion.LeafIndex, inclusion.TreeSize, fixture.LeafHashes[(int)inclusion.LeafIndex], inclusion.Path, fixture.Log.Root(inclusion.TreeSize));
                FuzzInvariantException.Check(SamePath(inclusion.Path, fixture.Log.InclusionProof(inclusion.LeafIndex, inclusion.TreeSize).Path), "accepted an inclusion proof the tree did not generate");
                break;
            default:
                var consistency = ConsistencyProof.Parse(body);
                FuzzInvariantException.Check(consistency.Encode().AsSpan().SequenceEqual(body), "consistency proof does not re-encode to its input");
                if (consistency.SecondSize > TreeSize || consistency.FirstSize == 0) return;
                MerkleVerifier.VerifyConsistency(consistency.FirstSize, consistency.SecondSize, fixture.Log.Root(consistency.FirstSize), fixture.Log.Root(consistency.SecondSize), consistency.Path);
                FuzzInvariantException.Check(SamePath(consistency.Path, fixture.Log.ConsistencyProof(consistency.FirstSize, consistency.SecondSize).Path), "accepted a consistency proof the tree did not generate");
                break;
        }
    }

    private static bool SamePath(IReadOnlyList<byte[]> a, IReadOnlyList<byte[]> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    private static IEnumerable<FuzzSeed> Seeds()
    {
        var fixture = Fixture.Value;
        var seeds = new List<FuzzSeed>();
        for (var i = 0; i < fixture.Signed.Count; i++)
            seeds.Add(new FuzzSeed($"sth-{fixture.Signed[i].TreeSize}", [0, .. fixture.Signed[i].Encode()]));
        var tampered = fixture.Signed[^1].Encode();
        tampered[^1] ^= 0x01;
        seeds.Add(new FuzzSeed("sth-bad-signature", [0, .. tampered]));
        seeds.Add(new FuzzSeed("inclusion-6-of-13", [1, .. fixture.Log.InclusionProof(6).Encode()]));
        seeds.Add(new FuzzSeed("inclusion-0-of-1", [1, .. fixture.Log.InclusionProof(0, 1).Encode()]));
        seeds.Add(new FuzzSeed("consistency-5-13", [2, .. fixture.Log.ConsistencyProof(5).Encode()]));
        seeds.Add(new FuzzSeed("consistency-8-13", [2, .. fixture.Log.ConsistencyProof(8).Encode()]));
        return seeds;
    }

    private sealed class TreeFixture
    {
        public required TransparencyLog Log { get; init; }

        public required byte[][] LeafHashes { get; init; }

        public required byte[] PublicKey { get; init; }

        public required List<SignedTreeHead> Signed { get; init; }

        public static TreeFixture Create()
        {
            var log = new TransparencyLog(new InMemoryTransparencyLogStore(), "fuzz-log");
            var leaves = Enumerable.Range(0, TreeSize).Select(i => MerkleHashing.LeafHash(Fixtures.Pattern(8, (byte)i))).ToArray();
            var signed = new List<SignedTreeHead>();
            if (!Fixtures.IsAvailable(LogAlgorithm))
            {
                // No provider here: every tree head is rejected; the proof parsers still run.
                foreach (var leaf in leaves) log.AppendLeafHash(leaf);
                return new TreeFixture { Log = log, LeafHashes = leaves, PublicKey = Fixtures.Pattern(LogAlgorithm.PublicKeySize, 9), Signed = signed };
            }

            var (_, key) = Fixtures.Signature(LogAlgorithm);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
            signed.Add(log.SignTreeHead(key, at));
            foreach (var leaf in leaves)
            {
                log.AppendLeafHash(leaf);
                if (log.Size is 1 or 8 or TreeSize) signed.Add(log.SignTreeHead(key, at.AddSeconds(log.Size)));
            }

            return new TreeFixture { Log = log, LeafHashes = leaves, PublicKey = key.PublicKey.ToArray(), Signed = signed };
        }
    }
}
