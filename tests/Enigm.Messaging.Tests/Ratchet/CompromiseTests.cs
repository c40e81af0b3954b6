using Enigm.Crypto.Providers;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

/// <summary>
/// Forward secrecy and post-compromise security (Double Ratchet §8.2, §5/§6 for the post-quantum
/// half). An attacker is modelled as a session restored from stolen state bytes: everything the
/// victim's device held at that moment.
/// </summary>
public sealed class CompromiseTests
{
    [Fact]
    public void State_stolen_after_message_k_cannot_decrypt_messages_before_k()
    {
        using var pair = SessionPair.Create();
        var earlier = new List<byte[]>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                var message = pair.Alice.Encrypt([(byte)round, (byte)i]);
                earlier.Add(message);
                pair.Bob.Decrypt(message);
            }

            pair.Alice.Decrypt(pair.Bob.Encrypt("ack"u8));
        }

        var k = pair.Alice.Encrypt("message k"u8);
        pair.Bob.Decrypt(k);
        using var thief = RatchetSession.Deserialize(pair.Bob.Serialize());

        Assert.Throws<RatchetReplayException>(() => thief.Decrypt(k));
        foreach (var message in earlier) Assert.ThrowsAny<EnigmException>(() => thief.Decrypt(message));
        // Control: the stolen state is live, it reads what comes next on this chain.
        Assert.Equal("after k"u8.ToArray(), thief.Decrypt(pair.Alice.Encrypt("after k"u8)));
    }

    [Fact]
    public void After_full_compromise_a_classical_attacker_is_locked_out_once_the_DH_ratchet_steps()
    {
        using var pair = SessionPair.Create();
        pair.ConverseUntilEpoch(2);
        using var thief = RatchetSession.Deserialize(pair.Bob.Serialize());

        // Control: before any new ratchet key, the thief reads Alice's messages.
        var before = pair.Alice.Encrypt("read by the thief"u8);
        Assert.Equal("read by the thief"u8.ToArray(), thief.Decrypt(before));
        pair.Bob.Decrypt(before);

        // Bob replies with a fresh ratchet key (made after the theft); Alice answers on a new chain.
        pair.Alice.Decrypt(pair.Bob.Encrypt("new ratchet key"u8));
        var after = pair.Alice.Encrypt("healed"u8);
        Assert.Throws<RatchetAuthenticationException>(() => thief.Decrypt(after));
        Assert.Equal("healed"u8.ToArray(), pair.Bob.Decrypt(after));
    }

    [Fact]
    public void After_full_compromise_an_attacker_holding_every_X25519_secret_is_locked_out_once_a_PQ_epoch_completes()
    {
        using var pair = SessionPair.Create();
        pair.ConverseUntilEpoch(2);
        var stolen = pair.Bob.Serialize();
        var epochAtTheft = pair.Bob.PostQuantumEpochs;

        // Breaking X25519 gives the attacker the classical half of Bob's state at any time (it is a
        // function of the stolen state and the X25519 secrets); the post-quantum half stays as stolen.
        RatchetSession Attacker()
        {
            var classicalNow = RatchetSession.Deserialize(pair.Bob.Serialize()).Classical;
            var postQuantumThen = RatchetSession.Deserialize(stolen).PostQuantum;
            return new RatchetSession(
                Crypto.Suites.SuiteRegistry.Suite1, false, SessionPair.AssociatedData, classicalNow, postQuantumThen,
                new SkippedMessageKeys(), CryptoProviders.Default, RatchetLimits.Default);
        }

        // Control: DH steps alone do not heal against this attacker while the PQ epoch stands.
        for (var i = 0; i < 3; i++)
        {
            pair.Alice.Decrypt(pair.Bob.Encrypt("step"u8));
            var message = pair.Alice.Encrypt("still exposed"u8);
            using (var attacker = Attacker()) Assert.Equal("still exposed"u8.ToArray(), attacker.Decrypt(message));
            pair.Bob.Decrypt(message);
        }

        using (var classicalOnly = RatchetSession.Deserialize(stolen))
            Assert.ThrowsAny<EnigmException>(() => classicalOnly.Decrypt(pair.Alice.Encrypt("x"u8)));

        // Two more epochs: the one in flight at the theft (its key may have been stolen) and one
        // whose ML-KEM key pair was generated after it.
        pair.ConverseUntilEpoch(epochAtTheft + 2);
        pair.Alice.Decrypt(pair.Bob.Encrypt("step"u8));
        var healed = pair.Alice.Encrypt("healed"u8);
        using (var attacker = Attacker()) Assert.ThrowsAny<EnigmException>(() => attacker.Decrypt(healed));
        Assert.Equal("healed"u8.ToArray(), pair.Bob.Decrypt(healed));
    }
}
