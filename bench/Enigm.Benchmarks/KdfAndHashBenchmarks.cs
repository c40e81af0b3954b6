using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Benchmarks;

/// <summary>
/// HKDF-SHA-256 and HKDF-SHA-512 (extract and expand, RFC 5869) from a 32-byte secret with a 32-byte
/// salt and 16-byte info into 32 and 64 bytes: the shapes the ratchet and the hybrid combiners use.
/// </summary>
[Config(typeof(ShortConfig))]
public class KdfBenchmarks
{
    private IKdf _kdf = null!;
    private readonly byte[] _inputKeyMaterial = BenchmarkData.Bytes(32);
    private readonly byte[] _salt = BenchmarkData.Bytes(32);
    private readonly byte[] _info = BenchmarkData.Bytes(16);
    private byte[] _output = null!;

    public static IEnumerable<ProviderCase> Cases => ProviderCase.For(KdfAlgorithm.HkdfSha256, KdfAlgorithm.HkdfSha512);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [Params(32, 64)]
    public int OutputLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _kdf = Impl.Create<IKdf>();
        _output = new byte[OutputLength];
    }

    [Benchmark]
    public void DeriveKey() => _kdf.DeriveKey(_inputKeyMaterial, _salt, _info, _output);
}

/// <summary>SHA-256, SHA-512 and SHA3-256 over 1 KiB and 1 MiB, one-shot.</summary>
[Config(typeof(ShortConfig))]
public class HashBenchmarks
{
    private IHash _hash = null!;
    private byte[] _data = null!;
    private readonly byte[] _digest = new byte[64];

    public static IEnumerable<ProviderCase> Cases =>
        ProviderCase.For(HashAlgorithm.Sha256, HashAlgorithm.Sha512, HashAlgorithm.Sha3_256);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [Params(BenchmarkData.KiB, BenchmarkData.MiB)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _hash = Impl.Create<IHash>();
        _data = BenchmarkData.Bytes(Size);
    }

    [Benchmark]
    public void Hash() => _hash.Hash(_data, _digest.AsSpan(0, ((HashAlgorithm)Impl.Algorithm).Size));
}
