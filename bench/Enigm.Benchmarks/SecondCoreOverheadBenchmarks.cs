using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Primitives;

namespace Enigm.Benchmarks;

/// <summary>
/// What a hand-over to the second core costs by itself (run with <c>walltime</c>, which prints process CPU): two
/// independent halves of ≈ 50 µs each (SHA-256 over 64 KiB), one after the other and through
/// <see cref="SecondCore"/>. The process CPU above the sequential case is the hand-over: queueing, waking a pool
/// thread, its spinning for more work, and the caller's wait.
/// </summary>
[Config(typeof(ShortConfig))]
public class SecondCoreOverheadBenchmarks
{
    private readonly byte[] _left = RandomNumberGenerator.GetBytes(64 * 1024);
    private readonly byte[] _right = RandomNumberGenerator.GetBytes(64 * 1024);

    [Benchmark(Baseline = true)]
    public int Sequential() => Half(_left) ^ Half(_right);

    [Benchmark]
    public int OnTwoCores()
    {
        var (left, right) = SecondCore.Run(() => Half(_left), () => Half(_right));
        return left ^ right;
    }

    private static int Half(byte[] data) => SHA256.HashData(data)[0];
}
