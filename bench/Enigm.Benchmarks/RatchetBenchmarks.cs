using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Messaging.Ratchet;

namespace Enigm.Benchmarks;

/// <summary>
/// The Triple Ratchet (docs/protocol.md, "Triple Ratchet"): one 1 KiB encrypt + decrypt pair per
/// operation, in a long one-way run (symmetric chain steps only) and in a strictly alternating
/// conversation (a DH ratchet step on every message). SPQR is on in both: chunk encoding, and in the
/// alternating case the ML-KEM key generation, encapsulation and decapsulation of each epoch, amortised
/// over the ≈146 messages an epoch takes. Anchor (issue 12): libsignal 0.103 with SPQR, 217 µs one
/// direction and 368 µs alternating on this machine.
/// </summary>
[Config(typeof(ShortConfig))]
public class RatchetBenchmarks
{
    private readonly byte[] _plaintext = new byte[1024];
    private RatchetPair _pair = null!;
    private RatchetSession _alice = null!;
    private RatchetSession _bob = null!;
    private bool _aliceSends = true;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_plaintext);
        _pair = new RatchetPair(_plaintext);
        (_alice, _bob) = (_pair.Alice, _pair.Bob);
    }

    [GlobalCleanup]
    public void Cleanup() => _pair.Dispose();

    [Benchmark]
    public int OneDirection() => _bob.Decrypt(_alice.Encrypt(_plaintext)).Length;

    [Benchmark]
    public int Alternating()
    {
        var (sender, receiver) = _aliceSends ? (_alice, _bob) : (_bob, _alice);
        _aliceSends = !_aliceSends;
        return receiver.Decrypt(sender.Encrypt(_plaintext)).Length;
    }
}
