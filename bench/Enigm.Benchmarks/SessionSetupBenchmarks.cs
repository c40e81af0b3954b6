using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Enigm.Benchmarks.Infrastructure;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Setup;
using Enigm.Trust.DeviceLog;

namespace Enigm.Benchmarks;

/// <summary>
/// PQXDH session setup (docs/protocol.md) and the sealed-sender layer per recipient device, suite 1.
/// <c>PqxdhBothSides</c> is what issue 12 compares with libsignal's "PQXDH setup both sides": Alice verifies
/// Bob's fetched bundle (one composite signature) and starts (EK keygen, 4 X25519, ML-KEM-1024 encapsulation,
/// HKDF), the signature on a second core meanwhile; Bob accepts (4 X25519, and decapsulation on a second core,
/// HKDF, SPK copy for the ratchet). Run it with <c>walltime</c> to see the latency and the process CPU time. Bob's one-time prekeys are
/// consumed on every accept, so his store hands out pre-made copies of the same keys (made in setup, not
/// timed). Sealed sender: seal and open of a 1 KiB content; opening includes verifying the sender's
/// certificate against its device log (one composite signature).
/// </summary>
[Config(typeof(ShortConfig))]
public class SessionSetupBenchmarks
{
    private static readonly byte[] Content = new byte[1024];

    private MessagingIdentity _alice = null!;
    private MessagingIdentity _bob = null!;
    private TrustedDeviceSet _aliceLog = null!;
    private TrustedDeviceSet _bobLog = null!;
    private byte[] _fetchedBundle = null!;
    private VerifiedPrekeyBundle _verifiedBundle = null!;
    private VerifiedIdentity _aliceIdentity = null!;
    private CopyingPrekeyStore _bobStore = null!;
    private byte[] _layer = null!;
    private readonly VerifiedCertificateCache _certificates = new();
    private readonly BundleSignatureCache _bundleSignatures = new();
    private byte[] _initialMessage = null!;
    private PqxdhInitiation _initiation = null!;
    private PqxdhResponse _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (aliceLog, aliceKey, aliceId) = Account();
        var (bobLog, bobKey, bobId) = Account();
        (_aliceLog, _bobLog) = (aliceLog, bobLog);
        _alice = MessagingIdentity.Create(aliceLog, aliceId, aliceKey);
        _bob = MessagingIdentity.Create(bobLog, bobId, bobKey);
        var inner = new InMemoryPrekeyStore();
        var bundle = PrekeyBundle.Decode(new DevicePrekeys(_bob, bobKey, inner, new PrekeyPolicy(OneTimePrekeys: 1, OneTimeKemPrekeys: 1)).PublishBundle());
        _fetchedBundle = bundle.WithOnly(bundle.OneTimePrekeys[0].Id, bundle.OneTimeKemPrekeys[0].Id).Encode();
        _verifiedBundle = PrekeyBundleVerifier.Verify(_fetchedBundle, _bobLog);
        _aliceIdentity = IdentityCertificate.Verify(_alice.Certificate, _aliceLog);
        // Enough copies for the accepts of three cases through the 1 s warm-up and the rounds (≈ 2,500 each at
        // 0.4 ms): a store that runs out makes copies inside the timed accept, and an ML-KEM copy is a key generation.
        _bobStore = new CopyingPrekeyStore(inner, copies: 12000);
        _layer = SealedSenderCipher.Seal(_alice, _bob.Identity, 1, Content);
        _initiation = PqxdhInitiator.Start(_alice, _verifiedBundle);
        _initialMessage = _initiation.InitialMessage.ToArray();
        _response = PqxdhResponder.Accept(_bob, _bobStore, _aliceIdentity, _initialMessage);
    }

    [Benchmark]
    public int PqxdhBothSides()
    {
        using var initiation = PqxdhInitiator.Start(_alice, _fetchedBundle, _bobLog);
        using var response = PqxdhResponder.Accept(_bob, _bobStore, _aliceIdentity, initiation.InitialMessage);
        return response.SharedSecret.Length;
    }

    /// <summary>
    /// Like for like with libsignal's <c>PqxdhBothSides</c> (bench/libsignal-anchor), which cannot finish a setup
    /// without a message: the setup above, then both ratchets made from it and the first 1 KiB message encrypted by
    /// Alice and decrypted by Bob.
    /// </summary>
    [Benchmark]
    public int PqxdhBothSidesFirstMessage()
    {
        using var initiation = PqxdhInitiator.Start(_alice, _fetchedBundle, _bobLog);
        using var response = PqxdhResponder.Accept(_bob, _bobStore, _aliceIdentity, initiation.InitialMessage);
        using var alice = RatchetSession.CreateInitiator(initiation.SharedSecret.Span, initiation.AssociatedData, initiation.ResponderRatchetPublicKey);
        using var bob = RatchetSession.CreateResponder(response.SharedSecret.Span, response.AssociatedData, response.ResponderRatchetPrivateKey);
        return bob.Decrypt(alice.Encrypt(Content)).Length;
    }

    /// <summary>What <see cref="PqxdhBothSidesFirstMessage"/> adds to the setup: both ratchets from a fixed SK and the first message.</summary>
    [Benchmark]
    public int FirstMessageRatchetsOnly()
    {
        using var alice = RatchetSession.CreateInitiator(_initiation.SharedSecret.Span, _initiation.AssociatedData, _initiation.ResponderRatchetPublicKey);
        using var bob = RatchetSession.CreateResponder(_response.SharedSecret.Span, _response.AssociatedData, _response.ResponderRatchetPrivateKey);
        return bob.Decrypt(alice.Encrypt(Content)).Length;
    }

    /// <summary>The initiator's half of <see cref="FirstMessageRatchetsOnly"/>: its ratchet and the first message encrypted.</summary>
    [Benchmark]
    public int FirstMessageInitiatorOnly()
    {
        using var alice = RatchetSession.CreateInitiator(_initiation.SharedSecret.Span, _initiation.AssociatedData, _initiation.ResponderRatchetPublicKey);
        return alice.Encrypt(Content).Length;
    }

    /// <summary>A second setup with the same device: its bundle signature is remembered (BundleSignatureCache).</summary>
    [Benchmark]
    public int PqxdhBothSidesKnownBundleSignature()
    {
        using var initiation = PqxdhInitiator.Start(_alice, _fetchedBundle, _bobLog, signatures: _bundleSignatures);
        using var response = PqxdhResponder.Accept(_bob, _bobStore, _aliceIdentity, initiation.InitialMessage);
        return response.SharedSecret.Length;
    }

    [Benchmark]
    public int ResponderAccept()
    {
        using var response = PqxdhResponder.Accept(_bob, _bobStore, _aliceIdentity, _initialMessage);
        return response.SharedSecret.Length;
    }

    [Benchmark]
    public int BundleVerify() => PrekeyBundleVerifier.Verify(_fetchedBundle, _bobLog).OneTimePrekeys.Count;

    /// <summary>Alice's whole first-contact side: the fetched bundle verified, its signature on a second core while PQXDH starts.</summary>
    [Benchmark]
    public int InitiatorFromFetchedBundle()
    {
        using var initiation = PqxdhInitiator.Start(_alice, _fetchedBundle, _bobLog);
        return initiation.InitialMessage.Length;
    }

    [Benchmark]
    public int InitiatorStart()
    {
        using var initiation = PqxdhInitiator.Start(_alice, _verifiedBundle);
        return initiation.InitialMessage.Length;
    }

    [Benchmark]
    public int SealedSenderSeal1KiB() => SealedSenderCipher.Seal(_alice, _bob.Identity, 1, Content).Length;

    [Benchmark]
    public int SealedSenderOpen1KiB() => SealedSenderCipher.Open(_bob, _layer, a => a.Equals(_aliceLog.Account) ? _aliceLog : null).Content.Length;

    /// <summary>As a receiving client would open a sender's second and later messages: its certificate already verified.</summary>
    [Benchmark]
    public int SealedSenderOpen1KiBCachedCertificate() => SealedSenderCipher.Open(_bob, _layer, a => a.Equals(_aliceLog.Account) ? _aliceLog : null, certificates: _certificates).Content.Length;

    private static (TrustedDeviceSet Log, PrivateKey Key, string DeviceId) Account()
    {
        var key = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
        var id = DeviceLogWriter.DeviceIdFor(key);
        return (DeviceLogVerifier.Verify(DeviceLogWriter.CreateGenesis(id, "bench", key).Entries), key, id);
    }

    /// <summary>
    /// Bob's store for the benchmark: one-time prekeys are never used up; each take hands out a pre-made copy
    /// of the same key (imported from its private material in setup), so the timed accept does no key import.
    /// </summary>
    private sealed class CopyingPrekeyStore : IPrekeyStore
    {
        private readonly InMemoryPrekeyStore _inner;
        private readonly ConcurrentDictionary<(PrekeyKind, uint), ConcurrentQueue<PrekeyRecord>> _copies = new();

        public CopyingPrekeyStore(InMemoryPrekeyStore inner, int copies)
        {
            _inner = inner;
            foreach (var kind in new[] { PrekeyKind.OneTimePrekey, PrekeyKind.OneTimeKemPrekey })
            {
                foreach (var record in inner.List(kind))
                {
                    var queue = _copies.GetOrAdd((kind, record.Id), _ => new ConcurrentQueue<PrekeyRecord>());
                    for (var i = 0; i < copies; i++) queue.Enqueue(Copy(record));
                }
            }
        }

        public uint AllocateIds(int count) => _inner.AllocateIds(count);

        public void Add(IReadOnlyList<PrekeyRecord> records) => _inner.Add(records);

        public PrekeyRecord? Get(PrekeyKind kind, uint id) => _inner.Get(kind, id);

        public IReadOnlyList<PrekeyRecord> List(PrekeyKind kind) => _inner.List(kind);

        public PrekeyRecord? Take(PrekeyKind kind, uint id)
        {
            var original = _inner.Get(kind, id);
            if (original is null) return null;
            return _copies.TryGetValue((kind, id), out var queue) && queue.TryDequeue(out var copy) ? copy : Copy(original);
        }

        public void Delete(PrekeyKind kind, uint id) => _inner.Delete(kind, id);

        public int Count(PrekeyKind kind) => _inner.Count(kind);

        public bool TryRecordLastResortUse(uint prekeyId, ReadOnlySpan<byte> useHash) => _inner.TryRecordLastResortUse(prekeyId, useHash);

        private static PrekeyRecord Copy(PrekeyRecord record)
        {
            using var material = record.Key.ExportPrivateMaterial();
            var key = record.Key.Algorithm is KemAlgorithm kem
                ? CryptoProviders.Default.Kem(kem).DeriveKeyPair(material.Span)
                : CryptoProviders.Default.KeyAgreement((KeyAgreementAlgorithm)record.Key.Algorithm).ImportPrivateKey(material.Span);
            return record with { Key = key };
        }
    }
}
