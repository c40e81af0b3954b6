using System.Formats.Cbor;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

public sealed class SerializationTests
{
    [Fact]
    public void Serialisation_is_deterministic_and_restores_an_equal_state()
    {
        using var pair = SessionPair.Create();
        pair.ConverseUntilEpoch(2);
        pair.Alice.Encrypt("skipped"u8);
        pair.Bob.Decrypt(pair.Alice.Encrypt("skip one"u8));
        var bytes = pair.Bob.Serialize();
        Assert.Equal(bytes, pair.Bob.Serialize());
        using var restored = RatchetSession.Deserialize(bytes);
        Assert.Equal(bytes, restored.Serialize());
        Assert.Equal(pair.Bob.PostQuantumEpochs, restored.PostQuantumEpochs);
        Assert.Equal(pair.Bob.SkippedKeyCount, restored.SkippedKeyCount);
    }

    [Fact]
    public void Restored_sessions_continue_the_conversation_both_ways()
    {
        using var pair = SessionPair.Create();
        for (var i = 0; i < 30; i++)
        {
            pair.Reload();
            Assert.Equal(new[] { (byte)i }, pair.Bob.Decrypt(pair.Alice.Encrypt([(byte)i])));
            Assert.Equal(new[] { (byte)i }, pair.Alice.Decrypt(pair.Bob.Encrypt([(byte)i])));
        }
    }

    [Fact]
    public void Every_truncation_of_a_state_is_refused_as_malformed()
    {
        using var pair = SessionPair.Create();
        pair.Bob.Decrypt(pair.Alice.Encrypt("x"u8));
        var bytes = pair.Bob.Serialize();
        for (var length = 0; length < bytes.Length; length += 7)
            Assert.ThrowsAny<EnigmException>(() => RatchetSession.Deserialize(bytes.AsSpan(0, length)));
    }

    [Fact]
    public void Flipped_bytes_give_a_typed_error_or_a_usable_session_never_a_crash()
    {
        using var pair = SessionPair.Create();
        pair.Bob.Decrypt(pair.Alice.Encrypt("x"u8));
        var bytes = pair.Bob.Serialize();
        var random = new Random(11);
        for (var i = 0; i < 300; i++)
        {
            var mutated = (byte[])bytes.Clone();
            mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                using var session = RatchetSession.Deserialize(mutated);
            }
            catch (EnigmException)
            {
                // A typed refusal is the expected outcome for most mutations.
            }
        }
    }

    [Fact]
    public void Refuses_an_unknown_version_and_a_refused_suite()
    {
        using var pair = SessionPair.Create();
        var bytes = pair.Alice.Serialize();
        var versionTwo = (byte[])bytes.Clone();
        Assert.Equal(0x01, versionTwo[1]); // [array(7), version 1, …]
        versionTwo[1] = 0x02;
        Assert.Throws<UnsupportedFormatVersionException>(() => RatchetSession.Deserialize(versionTwo));
        var policy = SuitePolicy.Default.With(SuiteRegistry.Suite1.Id, SuiteStatus.Refused);
        Assert.Throws<SuiteRefusedException>(() => RatchetSession.Deserialize(bytes, policy: policy));
    }

    [Fact]
    public void Refuses_oversized_state_before_parsing()
    {
        var writer = new CborWriter();
        writer.WriteByteString(new byte[RatchetSession.MaxStateSize]);
        Assert.Throws<MalformedInputException>(() => RatchetSession.Deserialize(writer.Encode()));
    }

    [Fact]
    public void Session_store_round_trips_state_by_address()
    {
        var store = new InMemoryRatchetSessionStore();
        using var pair = SessionPair.Create();
        store.Store("bob/device-1", pair.Alice.Serialize());
        using var loaded = RatchetSession.Deserialize(store.Load("bob/device-1")!);
        Assert.Equal("stored"u8.ToArray(), pair.Bob.Decrypt(loaded.Encrypt("stored"u8)));
        store.Delete("bob/device-1");
        Assert.Null(store.Load("bob/device-1"));
    }
}
