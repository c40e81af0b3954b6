using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

public sealed class TamperingTests
{
    [Fact]
    public void Tampered_ciphertext_is_refused_and_the_genuine_message_still_decrypts()
    {
        using var pair = SessionPair.Create();
        var message = pair.Alice.Encrypt("body"u8);
        var tampered = (byte[])message.Clone();
        tampered[^5] ^= 0x01;
        var error = Assert.Throws<RatchetAuthenticationException>(() => pair.Bob.Decrypt(tampered));
        Assert.Equal("ratchet-authentication", error.Code);
        Assert.Equal("body"u8.ToArray(), pair.Bob.Decrypt(message));
    }

    public static TheoryData<string> HeaderFields => ["pn", "n", "epoch", "pq-n", "ratchet-key"];

    [Theory]
    [MemberData(nameof(HeaderFields))]
    public void Tampered_header_field_is_refused(string field)
    {
        using var pair = SessionPair.Create();
        pair.Bob.Decrypt(pair.Alice.Encrypt("warm up"u8));
        pair.Alice.Decrypt(pair.Bob.Encrypt("reply"u8));
        var message = pair.Alice.Encrypt("header"u8);
        var (header, _, ciphertext) = RatchetMessage.Decode(message);
        var changed = field switch
        {
            "pn" => header with { PreviousChainLength = header.PreviousChainLength + 1 },
            "n" => header with { MessageNumber = header.MessageNumber + 1 },
            "epoch" => header with { PqEpoch = header.PqEpoch + 1 },
            "pq-n" => header with { PqMessageNumber = header.PqMessageNumber + 1 },
            _ => header with { RatchetPublicKey = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey().PublicKey },
        };
        var forged = RatchetMessage.Encode(RatchetMessage.EncodeHeader(changed), ciphertext);
        Assert.ThrowsAny<EnigmException>(() => pair.Bob.Decrypt(forged));
        Assert.Equal("header"u8.ToArray(), pair.Bob.Decrypt(message));
    }

    [Fact]
    public void Tampered_chunk_is_refused()
    {
        using var pair = SessionPair.Create();
        var message = pair.Alice.Encrypt("carries an ek chunk"u8);
        var (header, _, ciphertext) = RatchetMessage.Decode(message);
        Assert.True(header.HasChunk);
        var chunk = (byte[])header.Chunk.Clone();
        chunk[7] ^= 0x80;
        var forged = RatchetMessage.Encode(RatchetMessage.EncodeHeader(header with { Chunk = chunk }), ciphertext);
        Assert.Throws<RatchetAuthenticationException>(() => pair.Bob.Decrypt(forged));
        var moved = RatchetMessage.Encode(RatchetMessage.EncodeHeader(header with { ChunkIndex = (ushort)(header.ChunkIndex + 1) }), ciphertext);
        Assert.Throws<RatchetAuthenticationException>(() => pair.Bob.Decrypt(moved));
        Assert.Equal("carries an ek chunk"u8.ToArray(), pair.Bob.Decrypt(message));
    }

    [Fact]
    public void Different_associated_data_is_refused()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        using var bobKey = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).GenerateKey();
        using var alice = RatchetSession.CreateInitiator(secret, "alice|bob"u8, bobKey.PublicKey);
        using var bob = RatchetSession.CreateResponder(secret, "alice|mallory"u8, bobKey);
        Assert.Throws<RatchetAuthenticationException>(() => bob.Decrypt(alice.Encrypt("bound to identities"u8)));
    }

    [Fact]
    public void Truncated_or_garbage_messages_are_malformed_input()
    {
        using var pair = SessionPair.Create();
        var message = pair.Alice.Encrypt("whole"u8);
        Assert.Throws<MalformedInputException>(() => pair.Bob.Decrypt(message.AsSpan(0, message.Length - 1)));
        Assert.Throws<MalformedInputException>(() => pair.Bob.Decrypt([]));
        Assert.Throws<MalformedInputException>(() => pair.Bob.Decrypt([.. message, 0]));
        Assert.Throws<MalformedInputException>(() => pair.Bob.Decrypt(new byte[RatchetMessage.MaxMessageSize + 1]));
        Assert.Equal("whole"u8.ToArray(), pair.Bob.Decrypt(message));
    }
}
