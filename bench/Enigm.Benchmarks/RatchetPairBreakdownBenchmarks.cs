using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Messaging.Ratchet;

namespace Enigm.Benchmarks;

/// <summary>
/// Where the one-direction 1 KiB pair of <see cref="RatchetBenchmarks"/> spends its time (docs/benchmarks.md,
/// "Where the one-direction pair goes"): the whole pair, the sender's <c>Encrypt</c> alone, and the receiver's
/// parts that can be repeated on one message without changing state (decode, the two receive plans).
/// Decrypt ≈ pair − encrypt.
/// </summary>
[Config(typeof(ShortConfig))]
public class RatchetPairBreakdownBenchmarks
{
    private readonly byte[] _plaintext = new byte[1024];
    private RatchetPair _pair = null!;
    private RatchetPair _frozen = null!;
    private byte[] _message = null!;
    private RatchetHeader _header = null!;
    private SkippedMessageKeys _skipped = null!;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_plaintext);
        _pair = new RatchetPair(_plaintext);
        _frozen = new RatchetPair(_plaintext);
        _message = _frozen.Alice.Encrypt(_plaintext); // never delivered: the plans below may be repeated on it
        _header = RatchetMessage.Decode(_message).Header;
        _skipped = new SkippedMessageKeys();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair.Dispose();
        _frozen.Dispose();
    }

    [Benchmark]
    public int Pair() => _pair.Bob.Decrypt(_pair.Alice.Encrypt(_plaintext)).Length;

    [Benchmark]
    public int EncryptOnly() => _frozen.Alice.Encrypt(_plaintext).Length;

    [Benchmark]
    public int DecodeMessage() => RatchetMessage.Decode(_message.AsSpan().ToArray()).Ciphertext.Length;

    [Benchmark]
    public int ClassicalPlan() => _frozen.Bob.Classical.PlanReceive(_header, _skipped, RatchetLimits.Default).MessageKey.Length;

    [Benchmark]
    public int QuantumKeyPlan() => _frozen.Bob.PostQuantum.PlanReceiveKey(_header, _skipped, RatchetLimits.Default).MessageKey.Length;
}
