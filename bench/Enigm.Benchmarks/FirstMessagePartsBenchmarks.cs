using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Ratchet.ErasureCoding;

namespace Enigm.Benchmarks;

/// <summary>
/// The Triple Ratchet's first message on the initiator (<c>SessionSetup</c>'s <c>FirstMessageInitiatorOnly</c>)
/// by part (docs/benchmarks.md, "Fifth pass"): the session's creation (the shared secret split, then the Double
/// Ratchet's first DH step: an X25519 key pair and one agreement, and a root-KDF step), the first encryption
/// (SPQR's first epoch: a fresh ML-KEM-768 key pair through libsodium, the MAC of its encapsulation key, the first
/// erasure-coded chunk of ek ‖ MAC; then the message key and AES-256-GCM over 1 KiB), and those parts alone.
/// </summary>
[Config(typeof(ShortConfig))]
public class FirstMessagePartsBenchmarks
{
    private static readonly byte[] Content = new byte[1024];
    private readonly byte[] _sharedSecret = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _associatedData = RandomNumberGenerator.GetBytes(130);
    private readonly byte[] _authenticator = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _seed = RandomNumberGenerator.GetBytes(64);
    private readonly byte[] _item = RandomNumberGenerator.GetBytes(1184 + 32);
    private byte[] _responderPublicKey = null!;
    private IKeyAgreement _x25519 = null!;
    private IKem _mlKem768 = null!;
    private RatchetSession _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x25519 = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519);
        _mlKem768 = CryptoProviders.Default.Kem(KemAlgorithm.MlKem768);
        using var responder = _x25519.GenerateKey();
        _responderPublicKey = responder.PublicKey.ToArray();
        _warm = RatchetSession.CreateInitiator(_sharedSecret, _associatedData, _responderPublicKey);
        _warm.Encrypt(Content);
    }

    [GlobalCleanup]
    public void Cleanup() => _warm.Dispose();

    /// <summary>Create + first encryption: what <c>FirstMessageInitiatorOnly</c> measures.</summary>
    [Benchmark]
    public int CreateAndFirstMessage()
    {
        using var session = RatchetSession.CreateInitiator(_sharedSecret, _associatedData, _responderPublicKey);
        return session.Encrypt(Content).Length;
    }

    /// <summary>The session alone: split of SK, the first DH step (X25519 key pair, agreement, root KDF), SPQR's epoch-0 chains.</summary>
    [Benchmark]
    public int CreateOnly()
    {
        using var session = RatchetSession.CreateInitiator(_sharedSecret, _associatedData, _responderPublicKey);
        return session.IsInitiator ? 1 : 0;
    }

    /// <summary>A later message on the same chain (no DH step, no key pair; an erasure-coded chunk): the per-message floor.</summary>
    [Benchmark]
    public int LaterMessage() => _warm.Encrypt(Content).Length;

    [Benchmark]
    public int X25519KeyPairAndAgreement()
    {
        using var key = _x25519.GenerateKey();
        using var shared = _x25519.Agree(key, _responderPublicKey);
        return shared.Length;
    }

    [Benchmark]
    public int MlKem768KeyPairFromSeed()
    {
        using var key = _mlKem768.DeriveKeyPair(_seed);
        return key.PublicKey.Length;
    }

    [Benchmark]
    public int EncapsulationKeyMac() => RatchetKdf.ItemMac(_authenticator, "ek"u8, 1, _item.AsSpan(0, 1184)).Length;

    /// <summary>The erasure encoder of a 1,216-byte item (ek ‖ MAC) and its first chunk (a copy of the item's first 32 bytes), as a first message asks.</summary>
    [Benchmark]
    public int ErasureEncoderFirstChunk() => new ReedSolomonEncoder(_item).Encode(0).Length;

    /// <summary>A fresh encoder's first parity chunk (index N = 38): the symbol logarithms and Lagrange denominators, then the chunk.</summary>
    [Benchmark]
    public int ErasureEncoderFirstParityChunk() => new ReedSolomonEncoder(_item).Encode(38).Length;
}
