using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Benchmarks;

/// <summary>
/// SLH-DSA key generation and signing take from tenths of a second to seconds, so they run under
/// <see cref="SlowConfig"/> (one call per iteration, five iterations).
/// </summary>
[Config(typeof(SlowConfig))]
public class SlhDsaSignBenchmarks
{
    private ISignatureScheme _scheme = null!;
    private PrivateKey _key = null!;
    private readonly byte[] _message = BenchmarkData.Bytes(32);

    public static IEnumerable<ProviderCase> Cases =>
        ProviderCase.For(SignatureAlgorithm.SlhDsaSha2_128s, SignatureAlgorithm.SlhDsaSha2_256s);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [GlobalSetup]
    public void Setup() => (_scheme, _key, _) = BenchmarkData.SignatureFixture(Impl, _message);

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public int KeyGen()
    {
        using var key = _scheme.GenerateKey();
        return key.PublicKey.Length;
    }

    [Benchmark]
    public byte[] Sign() => _scheme.Sign(_key, _message);
}

/// <summary>SLH-DSA verification is milliseconds, so it runs under the ordinary short job.</summary>
[Config(typeof(ShortConfig))]
public class SlhDsaVerifyBenchmarks
{
    private ISignatureScheme _scheme = null!;
    private PrivateKey _key = null!;
    private byte[] _signature = null!;
    private readonly byte[] _message = BenchmarkData.Bytes(32);

    public static IEnumerable<ProviderCase> Cases => SlhDsaSignBenchmarks.Cases;

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [GlobalSetup]
    public void Setup() => (_scheme, _key, _signature) = BenchmarkData.SignatureFixture(Impl, _message);

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public bool Verify() => _scheme.Verify(_key.PublicKey, _message, _signature);
}
