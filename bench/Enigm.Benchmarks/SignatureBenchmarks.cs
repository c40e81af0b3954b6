using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Benchmarks;

/// <summary>
/// Key generation, signing and verification of a 32-byte message (the size of a digest, which is what
/// device-log entries and manifests end up signing) for the classical, ML-DSA and composite schemes.
/// SLH-DSA lives in <see cref="SlhDsaSignBenchmarks"/> and <see cref="SlhDsaVerifyBenchmarks"/>.
/// </summary>
[Config(typeof(ShortConfig))]
public class SignatureBenchmarks
{
    private ISignatureScheme _scheme = null!;
    private PrivateKey _key = null!;
    private byte[] _signature = null!;
    private readonly byte[] _message = BenchmarkData.Bytes(32);

    public static IEnumerable<ProviderCase> Cases =>
        ProviderCase.For(
            SignatureAlgorithm.Ed25519,
            SignatureAlgorithm.EcdsaP384,
            SignatureAlgorithm.MlDsa65,
            SignatureAlgorithm.MlDsa87,
            SignatureAlgorithm.MlDsa65Ed25519,
            SignatureAlgorithm.MlDsa87EcdsaP384);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [GlobalSetup]
    public void Setup() => (_scheme, _key, _signature) = BenchmarkData.SignatureFixture(Impl, _message);

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

    [Benchmark]
    public bool Verify() => _scheme.Verify(_key.PublicKey, _message, _signature);
}
