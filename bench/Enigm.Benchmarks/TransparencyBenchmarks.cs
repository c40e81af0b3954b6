using System.Buffers.Binary;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Enigm.Trust.Accounts;
using Enigm.Trust.Transparency;
using Perfolizer.Horology;

namespace Enigm.Benchmarks;

/// <summary>
/// Key transparency proofs in a 10-million-leaf log held by <see cref="InMemoryTransparencyLogStore"/>
/// (about 640 MB: leaf hashes plus the complete-subtree hashes above them). The global setup appends
/// 10 million precomputed leaf hashes (one node hash per leaf on average), which takes seconds. Each call
/// picks the next of 1,024 fixed pseudo-random leaves, so proofs do not all walk the same path.
/// </summary>
[Config(typeof(TransparencyBenchmarkConfigs.Proofs))]
public class TransparencyProofBenchmarks
{
    private const int Probes = 1024;

    private TransparencyLog _log = null!;
    private long[] _indexes = null!;
    private byte[][] _leafHashes = null!;
    private InclusionProof[] _proofs = null!;
    private byte[] _root = null!;
    private byte[] _oldRoot = null!;
    private long _oldSize;
    private int _next;

    [Params(10_000_000)]
    public int Leaves { get; set; } = 10_000_000;

    [GlobalSetup]
    public void Setup()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _log = new TransparencyLog(new InMemoryTransparencyLogStore(), "bench-log");
        Span<byte> counter = stackalloc byte[8];
        for (long i = 0; i < Leaves; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(counter, i);
            _log.AppendLeafHash(SHA256.HashData(counter));
        }

        var random = new Random(20261125);
        _indexes = [.. Enumerable.Range(0, Probes).Select(_ => random.NextInt64(Leaves))];
        _leafHashes = [.. _indexes.Select(i => { var b = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, i); return SHA256.HashData(b); })];
        _proofs = [.. _indexes.Select(i => _log.InclusionProof(i))];
        _root = _log.Root();
        _oldSize = Leaves / 3;
        _oldRoot = _log.Root(_oldSize);
        Console.WriteLine($"// transparency setup: {Leaves:N0} leaves appended in {clock.Elapsed.TotalSeconds:F1} s, managed heap {GC.GetTotalMemory(false) / (1024 * 1024):N0} MiB");
    }

    [Benchmark(Description = "inclusion proof: generate")]
    public int InclusionGenerate() => _log.InclusionProof(_indexes[Next()]).Path.Count;

    [Benchmark(Description = "inclusion proof: verify")]
    public int InclusionVerify()
    {
        var i = Next();
        MerkleVerifier.VerifyInclusion(_indexes[i], Leaves, _leafHashes[i], _proofs[i].Path, _root);
        return i;
    }

    [Benchmark(Description = "inclusion proof: generate + verify")]
    public int InclusionGenerateAndVerify()
    {
        var i = Next();
        var proof = _log.InclusionProof(_indexes[i]);
        MerkleVerifier.VerifyInclusion(proof.LeafIndex, proof.TreeSize, _leafHashes[i], proof.Path, _root);
        return proof.Path.Count;
    }

    [Benchmark(Description = "consistency proof N/3 → N: generate + verify")]
    public int ConsistencyGenerateAndVerify()
    {
        var proof = _log.ConsistencyProof(_oldSize);
        MerkleVerifier.VerifyConsistency(_oldSize, Leaves, _oldRoot, _root, proof.Path);
        return proof.Path.Count;
    }

    private int Next() => _next = (_next + 1) & (Probes - 1);
}

/// <summary>
/// Appending 100,000 device-log heads to a new in-memory log: per leaf the fixed 73-byte encoding, its
/// RFC 9162 leaf hash and on average one interior node hash. One call per iteration.
/// </summary>
[Config(typeof(TransparencyBenchmarkConfigs.Append))]
public class TransparencyAppendBenchmarks
{
    private TransparencyLeaf[] _leaves = null!;

    [Params(100_000)]
    public int Leaves { get; set; } = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        var account = new AccountFingerprint(SHA256.HashData("bench account"u8));
        _leaves = [.. Enumerable.Range(0, Leaves).Select(i => new TransparencyLeaf(account, SHA256.HashData(BitConverter.GetBytes(i)), (ulong)i))];
    }

    [Benchmark(Description = "append 100,000 leaves")]
    public long Append()
    {
        var log = new TransparencyLog(new InMemoryTransparencyLogStore(), "bench-log");
        foreach (var leaf in _leaves) log.Append(leaf);
        return log.Size;
    }
}

/// <summary>Jobs for the transparency benchmarks (no provider columns: these are not per-provider).</summary>
public static class TransparencyBenchmarkConfigs
{
    /// <summary>Microsecond operations: 3 warm-up and 15 measured iterations of about 250 ms.</summary>
    public sealed class Proofs : ManualConfig
    {
        public Proofs()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15)
                .WithIterationTime(TimeInterval.FromMilliseconds(250)).WithId("Short15"));
            WithBuildTimeout(TimeSpan.FromMinutes(15));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    /// <summary>Operations of a tenth of a second or more: one call per iteration, 1 warm-up, 10 measured.</summary>
    public sealed class Append : ManualConfig
    {
        public Append()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(10)
                .WithInvocationCount(1).WithUnrollFactor(1).WithId("Slow10"));
            WithBuildTimeout(TimeSpan.FromMinutes(15));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }
}
