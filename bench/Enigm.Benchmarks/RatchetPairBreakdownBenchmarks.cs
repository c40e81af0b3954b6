using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
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
    private RatchetSession _alice = null!;
    private RatchetSession _bob = null!;
    private RatchetSession _sender = null!;
    private RatchetSession _frozenReceiver = null!;
    private byte[] _message = null!;
    private RatchetHeader _header = null!;
    private SkippedMessageKeys _skipped = null!;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_plaintext);
        var secret = RandomNumberGenerator.GetBytes(32);
        using var bobKey = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey();
        _alice = RatchetSession.CreateInitiator(secret, "bench"u8, bobKey.PublicKey);
        _bob = RatchetSession.CreateResponder(secret, "bench"u8, bobKey);
        _bob.Decrypt(_alice.Encrypt(_plaintext));
        _sender = RatchetSession.CreateInitiator(secret, "bench"u8, bobKey.PublicKey);
        _frozenReceiver = RatchetSession.CreateResponder(secret, "bench"u8, bobKey);
        _frozenReceiver.Decrypt(_sender.Encrypt(_plaintext));
        _message = _sender.Encrypt(_plaintext); // never delivered: the plans below may be repeated on it
        _header = RatchetMessage.Decode(_message).Header;
        _skipped = new SkippedMessageKeys();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _alice.Dispose();
        _bob.Dispose();
        _sender.Dispose();
        _frozenReceiver.Dispose();
    }

    [Benchmark]
    public int Pair() => _bob.Decrypt(_alice.Encrypt(_plaintext)).Length;

    [Benchmark]
    public int EncryptOnly() => _sender.Encrypt(_plaintext).Length;

    [Benchmark]
    public int DecodeMessage() => RatchetMessage.Decode(_message.AsSpan().ToArray()).Ciphertext.Length;

    [Benchmark]
    public int ClassicalPlan() => _frozenReceiver.Classical.PlanReceive(_header, _skipped, RatchetLimits.Default).MessageKey.Length;

    [Benchmark]
    public int QuantumKeyPlan() => _frozenReceiver.PostQuantum.PlanReceiveKey(_header, _skipped, RatchetLimits.Default).MessageKey.Length;
}
