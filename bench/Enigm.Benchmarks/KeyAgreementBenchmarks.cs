using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;

namespace Enigm.Benchmarks;

/// <summary>X25519 key generation and agreement (one scalar multiplication), per provider.</summary>
[Config(typeof(ShortConfig))]
public class KeyAgreementBenchmarks
{
    private IKeyAgreement _agreement = null!;
    private PrivateKey _key = null!;
    private byte[] _peerPublicKey = null!;

    public static IEnumerable<ProviderCase> Cases => ProviderCase.For(KeyAgreementAlgorithm.X25519);

    [ParamsSource(nameof(Cases))]
    public ProviderCase Impl { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        _agreement = Impl.Create<IKeyAgreement>();
        _key = _agreement.GenerateKey();
        using var peer = _agreement.GenerateKey();
        _peerPublicKey = peer.PublicKey;
        using var ours = _agreement.Agree(_key, _peerPublicKey);
        using var theirs = _agreement.Agree(peer, _key.PublicKey);
        if (!ours.Span.SequenceEqual(theirs.Span))
            throw new InvalidOperationException($"{Impl}: the two sides do not agree.");
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public int KeyGen()
    {
        using var key = _agreement.GenerateKey();
        return key.PublicKey.Length;
    }

    [Benchmark]
    public int Agree()
    {
        using var secret = _agreement.Agree(_key, _peerPublicKey);
        return secret.Length;
    }
}
