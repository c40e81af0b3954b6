using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Ratchet;

namespace Enigm.Messaging.Tests.Ratchet;

/// <summary>Two sessions set up from one random shared secret, as session setup would hand them over.</summary>
internal sealed class SessionPair : IDisposable
{
    public static readonly byte[] AssociatedData = "alice-identity|bob-identity"u8.ToArray();

    private SessionPair(RatchetSession alice, RatchetSession bob)
    {
        Alice = alice;
        Bob = bob;
    }

    public RatchetSession Alice { get; private set; }

    public RatchetSession Bob { get; private set; }

    public static SessionPair Create(RatchetLimits? limits = null)
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        using var bobKey = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey();
        var alice = RatchetSession.CreateInitiator(secret, AssociatedData, bobKey.PublicKey, limits: limits);
        var bob = RatchetSession.CreateResponder(secret, AssociatedData, bobKey, limits: limits);
        return new SessionPair(alice, bob);
    }

    /// <summary>Sends <paramref name="count"/> messages each way in turn, all delivered, until both hold <paramref name="epochs"/> PQ epochs.</summary>
    public void ConverseUntilEpoch(ulong epochs, int maxRounds = 2000)
    {
        for (var i = 0; i < maxRounds; i++)
        {
            if (Alice.PostQuantumEpochs >= epochs && Bob.PostQuantumEpochs >= epochs) return;
            Bob.Decrypt(Alice.Encrypt("a"u8));
            Alice.Decrypt(Bob.Encrypt("b"u8));
        }

        throw new InvalidOperationException($"PQ epoch {epochs} not reached in {maxRounds} rounds.");
    }

    /// <summary>Replaces both sessions by their serialised-and-restored copies.</summary>
    public void Reload(RatchetLimits? limits = null)
    {
        var alice = RatchetSession.Deserialize(Alice.Serialize(), limits: limits);
        var bob = RatchetSession.Deserialize(Bob.Serialize(), limits: limits);
        Alice.Dispose();
        Bob.Dispose();
        Alice = alice;
        Bob = bob;
    }

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }
}
