using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Benchmarks;

/// <summary>AES-256-KWP (RFC 5649) wrapping and unwrapping a 32-byte key and a 64-byte ML-KEM seed.</summary>
[Config(typeof(ShortConfig))]
public class KeyWrapBenchmarks
{
    private IKeyWrap _wrap = null!;
    private readonly byte[] _keyEncryptionKey = BenchmarkData.Bytes(32);
    private byte[] _keyToWrap = null!;
    private byte[] _wrapped = null!;

    public static IEnumerable<ProviderCase> Cases => ProviderCase.For(KeyWrapAlgorithm.AesKwp256);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [Params(32, 64)]
    public int KeySize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _wrap = Impl.Create<IKeyWrap>();
        _keyToWrap = BenchmarkData.Bytes(KeySize);
        _wrapped = _wrap.Wrap(_keyEncryptionKey, _keyToWrap);
        if (!_wrap.Unwrap(_keyEncryptionKey, _wrapped).AsSpan().SequenceEqual(_keyToWrap))
            throw new InvalidOperationException($"{Impl}: unwrap does not recover the key.");
    }

    [Benchmark]
    public byte[] Wrap() => _wrap.Wrap(_keyEncryptionKey, _keyToWrap);

    [Benchmark]
    public byte[] Unwrap() => _wrap.Unwrap(_keyEncryptionKey, _wrapped);
}
