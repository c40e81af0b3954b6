using System.Text;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

public sealed class RoundTripTests
{
    [Fact]
    public void Alternating_conversation_round_trips()
    {
        using var pair = SessionPair.Create();
        for (var i = 0; i < 20; i++)
        {
            var toBob = Encoding.UTF8.GetBytes($"alice {i}");
            Assert.Equal(toBob, pair.Bob.Decrypt(pair.Alice.Encrypt(toBob)));
            var toAlice = Encoding.UTF8.GetBytes($"bob {i}");
            Assert.Equal(toAlice, pair.Alice.Decrypt(pair.Bob.Encrypt(toAlice)));
        }
    }

    [Fact]
    public void Long_one_way_runs_round_trip_in_both_directions()
    {
        using var pair = SessionPair.Create();
        for (var run = 0; run < 4; run++)
        {
            var (sender, receiver) = run % 2 == 0 ? (pair.Alice, pair.Bob) : (pair.Bob, pair.Alice);
            for (var i = 0; i < 50; i++)
            {
                var text = Encoding.UTF8.GetBytes($"run {run} message {i}");
                Assert.Equal(text, receiver.Decrypt(sender.Encrypt(text)));
            }
        }
    }

    [Fact]
    public void Empty_and_large_plaintexts_round_trip()
    {
        using var pair = SessionPair.Create();
        Assert.Empty(pair.Bob.Decrypt(pair.Alice.Encrypt([])));
        var large = new byte[256 * 1024];
        Random.Shared.NextBytes(large);
        Assert.Equal(large, pair.Alice.Decrypt(pair.Bob.Encrypt(large)));
    }

    [Fact]
    public void Same_plaintext_encrypts_differently_each_time()
    {
        using var pair = SessionPair.Create();
        var first = pair.Alice.Encrypt("same"u8);
        var second = pair.Alice.Encrypt("same"u8);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Responder_cannot_send_before_the_first_message_arrives()
    {
        using var pair = SessionPair.Create();
        var error = Assert.Throws<RatchetNotReadyException>(() => pair.Bob.Encrypt("too early"u8));
        Assert.Equal("ratchet-not-ready", error.Code);
        // The failed attempt changed nothing: the session still works.
        pair.Bob.Decrypt(pair.Alice.Encrypt("hi"u8));
        Assert.Equal("ok"u8.ToArray(), pair.Alice.Decrypt(pair.Bob.Encrypt("ok"u8)));
    }

    [Fact]
    public void Post_quantum_epochs_complete_in_a_conversation()
    {
        using var pair = SessionPair.Create();
        Assert.Equal(1UL, pair.Alice.PostQuantumEpochs);
        pair.ConverseUntilEpoch(4);
        Assert.True(pair.Alice.PostQuantumEpochs >= 4);
        Assert.True(pair.Bob.PostQuantumEpochs >= 4);
        Assert.Equal("still"u8.ToArray(), pair.Bob.Decrypt(pair.Alice.Encrypt("still"u8)));
    }

    [Fact]
    public void Sessions_from_different_secrets_cannot_read_each_other()
    {
        using var one = SessionPair.Create();
        using var other = SessionPair.Create();
        var message = one.Alice.Encrypt("private"u8);
        Assert.Throws<RatchetAuthenticationException>(() => other.Bob.Decrypt(message));
    }

    [Fact]
    public void Rejects_a_shared_secret_of_the_wrong_length()
    {
        Assert.Throws<InvalidKeyException>(() => RatchetSession.CreateInitiator(new byte[31], [], new byte[32]));
    }
}
