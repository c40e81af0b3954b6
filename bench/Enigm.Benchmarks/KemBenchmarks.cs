using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Benchmarks;

/// <summary>
/// ML-KEM-768, ML-KEM-1024 and X-Wing: key generation, encapsulation, decapsulation, each provider
/// side by side. Decapsulation reuses one private key, so a provider that caches its expanded key in
/// the <see cref="PrivateKey"/> (as a long-lived key would) pays the expansion once.
/// </summary>
[Config(typeof(ShortConfig))]
public class KemBenchmarks
{
    private IKem _kem = null!;
    private PrivateKey _key = null!;
    private byte[] _ciphertext = null!;

    public static IEnumerable<ProviderCase> Cases =>
        ProviderCase.For(KemAlgorithm.MlKem768, KemAlgorithm.MlKem1024, KemAlgorithm.XWing);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _kem = Impl.Create<IKem>();
        _key = _kem.GenerateKeyPair();
        using var encapsulation = _kem.Encapsulate(_key.PublicKey);
        _ciphertext = encapsulation.Ciphertext;
        using var secret = _kem.Decapsulate(_key, _ciphertext);
        if (!secret.Span.SequenceEqual(encapsulation.SharedSecret.Span))
            throw new InvalidOperationException($"{Impl}: decapsulation does not recover the encapsulated secret.");
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public int KeyGen()
    {
        using var key = _kem.GenerateKeyPair();
        return key.PublicKey.Length;
    }

    [Benchmark]
    public int Encaps()
    {
        using var encapsulation = _kem.Encapsulate(_key.PublicKey);
        return encapsulation.Ciphertext.Length;
    }

    [Benchmark]
    public int Decaps()
    {
        using var secret = _kem.Decapsulate(_key, _ciphertext);
        return secret.Length;
    }
}
