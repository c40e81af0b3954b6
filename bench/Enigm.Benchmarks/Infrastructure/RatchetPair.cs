using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Ratchet;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// The session pair the ratchet benchmarks share (RatchetBenchmarks, RatchetPairBreakdownBenchmarks): Alice as
/// initiator, Bob as responder from one random 32-byte secret and Bob's X25519 ratchet key, with Alice's first
/// message already delivered so both sides are past session start.
/// </summary>
internal sealed class RatchetPair : IDisposable
{
    public RatchetPair(ReadOnlySpan<byte> firstPlaintext)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        BobKey = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey();
        Alice = RatchetSession.CreateInitiator(secret, "bench"u8, BobKey.PublicKey);
        Bob = RatchetSession.CreateResponder(secret, "bench"u8, BobKey);
        Bob.Decrypt(Alice.Encrypt(firstPlaintext));
    }

    public RatchetSession Alice { get; }

    public RatchetSession Bob { get; }

    private Enigm.Crypto.Secrets.PrivateKey BobKey { get; }

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        BobKey.Dispose();
    }
}
