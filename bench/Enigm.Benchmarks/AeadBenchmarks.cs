using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Benchmarks;

/// <summary>
/// AES-256-GCM and ChaCha20-Poly1305 encryption and decryption of 1 KiB (a message) and 1 MiB (an
/// attachment chunk), with 32 bytes of associated data. The fixed nonce is acceptable only because
/// nothing here is ever sent anywhere.
/// </summary>
[Config(typeof(ShortConfig))]
public class AeadBenchmarks
{
    private const int TagSize = 16;
    private IAead _aead = null!;
    private readonly byte[] _key = BenchmarkData.Bytes(32);
    private readonly byte[] _nonce = BenchmarkData.Bytes(12);
    private readonly byte[] _associatedData = BenchmarkData.Bytes(32);
    private byte[] _plaintext = null!;
    private byte[] _ciphertext = null!;
    private byte[] _output = null!;

    public static IEnumerable<ProviderCase> Cases =>
        ProviderCase.For(AeadAlgorithm.Aes256Gcm, AeadAlgorithm.ChaCha20Poly1305);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [Params(BenchmarkData.KiB, BenchmarkData.MiB)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _aead = Impl.Create<IAead>();
        _plaintext = BenchmarkData.Bytes(Size);
        _ciphertext = new byte[Size + TagSize];
        _output = new byte[Size + TagSize];
        _aead.Encrypt(_key, _nonce, _plaintext, _associatedData, _ciphertext);
        var roundTrip = new byte[Size];
        _aead.Decrypt(_key, _nonce, _ciphertext, _associatedData, roundTrip);
        if (!roundTrip.AsSpan().SequenceEqual(_plaintext))
            throw new InvalidOperationException($"{Impl}: decryption does not recover the plaintext.");
    }

    [Benchmark]
    public void Encrypt() => _aead.Encrypt(_key, _nonce, _plaintext, _associatedData, _output);

    [Benchmark]
    public void Decrypt() => _aead.Decrypt(_key, _nonce, _ciphertext, _associatedData, _output.AsSpan(0, Size));
}
