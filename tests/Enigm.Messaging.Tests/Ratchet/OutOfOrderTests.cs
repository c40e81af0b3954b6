using Enigm.Messaging.Errors;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

public sealed class OutOfOrderTests
{
    [Fact]
    public void Messages_of_one_chain_decrypt_in_any_order()
    {
        using var pair = SessionPair.Create();
        var messages = Enumerable.Range(0, 10).Select(i => (Text: new[] { (byte)i }, Wire: pair.Alice.Encrypt([(byte)i]))).ToArray();
        foreach (var (text, wire) in messages.Reverse()) Assert.Equal(text, pair.Bob.Decrypt(wire));
        Assert.Equal(0, pair.Bob.SkippedKeyCount);
    }

    [Fact]
    public void Late_message_of_an_earlier_chain_decrypts_after_the_ratchet_stepped()
    {
        using var pair = SessionPair.Create();
        var a0 = pair.Alice.Encrypt("a0"u8);
        var a1 = pair.Alice.Encrypt("a1"u8);
        pair.Bob.Decrypt(a1);
        pair.Alice.Decrypt(pair.Bob.Encrypt("b0"u8));
        var a2 = pair.Alice.Encrypt("a2"u8); // new ratchet key, PN = 2
        Assert.Equal("a2"u8.ToArray(), pair.Bob.Decrypt(a2));
        Assert.Equal("a0"u8.ToArray(), pair.Bob.Decrypt(a0));
    }

    [Fact]
    public void Lost_messages_do_not_stop_later_ones()
    {
        using var pair = SessionPair.Create();
        for (var round = 0; round < 10; round++)
        {
            pair.Alice.Encrypt("lost"u8);
            Assert.Equal("kept"u8.ToArray(), pair.Bob.Decrypt(pair.Alice.Encrypt("kept"u8)));
            pair.Bob.Encrypt("lost"u8);
            Assert.Equal("reply"u8.ToArray(), pair.Alice.Decrypt(pair.Bob.Encrypt("reply"u8)));
        }
    }

    [Fact]
    public void Duplicate_is_rejected_as_a_replay_and_leaves_the_session_working()
    {
        using var pair = SessionPair.Create();
        var message = pair.Alice.Encrypt("once"u8);
        pair.Bob.Decrypt(message);
        var error = Assert.Throws<RatchetReplayException>(() => pair.Bob.Decrypt(message));
        Assert.Equal("ratchet-replay", error.Code);
        Assert.Equal("next"u8.ToArray(), pair.Bob.Decrypt(pair.Alice.Encrypt("next"u8)));
    }

    [Fact]
    public void Replayed_skipped_message_is_rejected_after_its_key_was_used()
    {
        using var pair = SessionPair.Create();
        var early = pair.Alice.Encrypt("early"u8);
        pair.Bob.Decrypt(pair.Alice.Encrypt("later"u8));
        pair.Bob.Decrypt(early);
        Assert.Throws<RatchetReplayException>(() => pair.Bob.Decrypt(early));
    }

    [Fact]
    public void Replay_of_a_message_from_a_retired_chain_is_named_a_replay()
    {
        using var pair = SessionPair.Create();
        var old = pair.Alice.Encrypt("old chain"u8);
        pair.Bob.Decrypt(old);
        pair.Alice.Decrypt(pair.Bob.Encrypt("step"u8));
        pair.Bob.Decrypt(pair.Alice.Encrypt("new chain"u8));
        Assert.Throws<RatchetReplayException>(() => pair.Bob.Decrypt(old));
    }

    [Fact]
    public void Forward_jump_beyond_the_limit_is_refused_and_changes_nothing()
    {
        var limits = new RatchetLimits(MaxForwardJump: 10, MaxSkippedKeys: 100);
        using var pair = SessionPair.Create(limits);
        var messages = Enumerable.Range(0, 12).Select(i => pair.Alice.Encrypt([(byte)i])).ToArray();
        var error = Assert.Throws<RatchetTooFarAheadException>(() => pair.Bob.Decrypt(messages[11]));
        Assert.Equal("ratchet-too-far-ahead", error.Code);
        Assert.Equal(0, pair.Bob.SkippedKeyCount);
        // Exactly at the limit is accepted, and the refused message now fits.
        Assert.Equal(new byte[] { 10 }, pair.Bob.Decrypt(messages[10]));
        Assert.Equal(new byte[] { 11 }, pair.Bob.Decrypt(messages[11]));
        Assert.Equal(new byte[] { 0 }, pair.Bob.Decrypt(messages[0]));
    }

    [Fact]
    public void Forward_jump_limit_also_bounds_the_previous_chain_length_claim()
    {
        var limits = new RatchetLimits(MaxForwardJump: 5, MaxSkippedKeys: 100);
        using var pair = SessionPair.Create(limits);
        pair.Bob.Decrypt(pair.Alice.Encrypt("first"u8));
        for (var i = 0; i < 8; i++) pair.Alice.Encrypt("never delivered"u8);
        pair.Alice.Decrypt(pair.Bob.Encrypt("reply"u8));
        // Alice's next chain says PN = 9: 8 keys to skip on the old chain, over the limit of 5.
        Assert.Throws<RatchetTooFarAheadException>(() => pair.Bob.Decrypt(pair.Alice.Encrypt("after step"u8)));
    }

    [Fact]
    public void Skipped_key_store_is_bounded_and_evicts_the_oldest()
    {
        // Every skipped message leaves two keys, one per ratchet.
        var limits = new RatchetLimits(MaxForwardJump: 100, MaxSkippedKeys: 10);
        using var pair = SessionPair.Create(limits);
        var messages = Enumerable.Range(0, 8).Select(i => pair.Alice.Encrypt([(byte)i])).ToArray();
        pair.Bob.Decrypt(messages[7]); // skips 0..6: 14 keys into a store of 10
        Assert.Equal(10, pair.Bob.SkippedKeyCount);
        Assert.Throws<RatchetReplayException>(() => pair.Bob.Decrypt(messages[0]));
        foreach (var i in new[] { 6, 5, 4 }) Assert.Equal(new[] { (byte)i }, pair.Bob.Decrypt(messages[i]));
        Assert.True(pair.Bob.SkippedKeyCount <= 10);
    }

    [Fact]
    public void Skipped_keys_survive_serialisation()
    {
        using var pair = SessionPair.Create();
        var early = pair.Alice.Encrypt("early"u8);
        pair.Bob.Decrypt(pair.Alice.Encrypt("later"u8));
        pair.Reload();
        Assert.Equal("early"u8.ToArray(), pair.Bob.Decrypt(early));
    }
}
