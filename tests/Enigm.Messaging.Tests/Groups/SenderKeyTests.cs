using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Groups;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Sessions;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Groups;

/// <summary>Sender keys (docs/groups.md): one ciphertext per group message, rotation on removal, revocation and periodically, late joiners.</summary>
public sealed class SenderKeyTests : IDisposable
{
    private readonly GroupWorld _world = new(accounts: 3, devicesEach: 2);

    public SenderKeyTests()
    {
        _world.Roster.Add(_world.Accounts[1].Fingerprint);
        _world.Roster.Add(_world.Accounts[2].Fingerprint);
    }

    private SessionAddress A0 => GroupWorld.Address(_world.Accounts[0]);

    private SessionAddress B0 => GroupWorld.Address(_world.Accounts[1]);

    private SessionAddress C0 => GroupWorld.Address(_world.Accounts[2]);

    private SessionAddress C1 => GroupWorld.Address(_world.Accounts[2], 1);

    public void Dispose() => _world.Dispose();

    [Fact]
    public void One_ciphertext_is_read_by_every_other_member_device()
    {
        var sent = _world.Send(A0, "hello group");

        Assert.Equal(SenderKeyRotation.FirstChain, sent.Rotation);
        Assert.Equal(5, sent.Recipients.Count);
        Assert.Equal(sent.Recipients, sent.DistributeTo);
        foreach (var device in sent.Recipients)
        {
            var read = _world.Cipher(device).Decrypt(_world.Membership(), sent.Message);
            Assert.Equal(A0, read.From);
            Assert.Equal("hello group", System.Text.Encoding.UTF8.GetString(read.Plaintext));
        }

        // The second message needs no distribution and is still one ciphertext.
        var second = _world.Send(A0, "again");
        Assert.Null(second.Distribution);
        Assert.Empty(second.DistributeTo);
        Assert.Equal(SenderKeyRotation.None, second.Rotation);
    }

    [Fact]
    public void The_relay_copy_names_no_sender_and_holds_no_plaintext()
    {
        var sent = _world.Send(A0, "secret words here");

        Assert.Equal(-1, Bytes.IndexOf(sent.Message, "secret words"u8.ToArray()));
        Assert.Equal(-1, Bytes.IndexOf(sent.Message, _world.Accounts[0].Fingerprint.Bytes.ToArray()));
        Assert.Equal(-1, Bytes.IndexOf(sent.Message, System.Text.Encoding.UTF8.GetBytes(A0.DeviceId)));
    }

    [Fact]
    public void Removing_a_member_makes_every_remaining_sender_rotate_and_the_removed_member_reads_nothing_after()
    {
        var before = _world.Membership();
        foreach (var sender in new[] { A0, B0, C0 }) _world.Send(sender, $"before from {sender.DeviceId}");
        Assert.Equal("before from " + A0.DeviceId, _world.Read(C0, _world.Captured[0], before));

        _world.Roster.Remove(_world.Accounts[2].Fingerprint);
        var afterA = _world.Send(A0, "after removal");
        var afterB = _world.Send(B0, "after removal too");

        Assert.Equal(SenderKeyRotation.MembershipShrank, afterA.Rotation);
        Assert.Equal(SenderKeyRotation.MembershipShrank, afterB.Rotation);
        Assert.DoesNotContain(C0, afterA.DistributeTo);
        Assert.DoesNotContain(C1, afterA.Recipients);
        // The removed devices still hold the old chains and their view of the group; the captured ciphertexts stay closed.
        foreach (var removed in new[] { C0, C1 })
        {
            Assert.Throws<SenderKeyRejectedException>(() => _world.Cipher(removed).Decrypt(before, afterA.Message));
            Assert.Throws<SenderKeyRejectedException>(() => _world.Cipher(removed).Decrypt(before, afterB.Message));
        }

        Assert.Equal("after removal", _world.Read(B0, afterA.Message));
        Assert.Equal("after removal too", _world.Read(GroupWorld.Address(_world.Accounts[0], 1), afterB.Message));
        // A removed device's own later messages are refused by the members.
        var fromRemoved = _world.Cipher(C0).Encrypt(before, "still here?"u8);
        Assert.Throws<SenderKeyRejectedException>(() => _world.Cipher(A0).Decrypt(_world.Membership(), fromRemoved.Message));
    }

    [Fact]
    public void Revoking_one_device_makes_senders_rotate_and_that_device_reads_nothing_after()
    {
        var before = _world.Membership();
        _world.Send(A0, "before");
        Assert.Equal("before", _world.Read(C1, _world.Captured[0], before));

        _world.Accounts[2].Revoke(_world.Accounts[2].Devices[1]);
        var after = _world.Send(A0, "after revocation");

        Assert.Equal(SenderKeyRotation.MembershipShrank, after.Rotation);
        Assert.DoesNotContain(C1, after.Recipients);
        Assert.Throws<SenderKeyRejectedException>(() => _world.Cipher(C1).Decrypt(before, after.Message));
        Assert.Equal("after revocation", _world.Read(C0, after.Message));
    }

    [Fact]
    public void Senders_rotate_after_N_messages_and_a_holder_of_the_old_chain_reads_nothing_after()
    {
        using var world = new GroupWorld(2, 1, new SenderKeyOptions { RotateAfterMessages = 3 });
        world.Roster.Add(world.Accounts[1].Fingerprint);
        var a = GroupWorld.Address(world.Accounts[0]);
        var b = GroupWorld.Address(world.Accounts[1]);
        var first = world.Send(a, "m0");
        // Snapshot of b's state before rotation: what an attacker who compromised b's old chain holds.
        var membership = world.Membership();
        var oldChain = new SenderKeyCipher(b, new InMemorySenderKeyStore());
        oldChain.ProcessDistribution(membership, a, first.Distribution!);
        world.Send(a, "m1");
        world.Send(a, "m2");

        var rotated = world.Send(a, "m3");

        Assert.Equal(SenderKeyRotation.Periodic, rotated.Rotation);
        Assert.Equal([b], rotated.DistributeTo);
        Assert.NotEqual(GroupMessage.Decode(first.Message).ChainId, GroupMessage.Decode(rotated.Message).ChainId);
        Assert.Equal("m2", world.Read(b, world.Captured[2]));
        Assert.Equal("m3", world.Read(b, rotated.Message));
        Assert.Equal("m2", System.Text.Encoding.UTF8.GetString(oldChain.Decrypt(membership, world.Captured[2]).Plaintext));
        Assert.Throws<SenderKeyRejectedException>(() => oldChain.Decrypt(membership, rotated.Message));
    }

    [Fact]
    public void Senders_rotate_once_the_chain_is_older_than_T()
    {
        _world.Send(A0, "now");
        _world.Clock.Now += TimeSpan.FromDays(7);

        var later = _world.Send(A0, "a week later");

        Assert.Equal(SenderKeyRotation.Periodic, later.Rotation);
        Assert.Equal("a week later", _world.Read(B0, later.Message));
    }

    [Fact]
    public void A_late_joiner_reads_nothing_sent_before_it_joined()
    {
        using var world = new GroupWorld(3, 1);
        world.Roster.Add(world.Accounts[1].Fingerprint);
        var a = GroupWorld.Address(world.Accounts[0]);
        var late = GroupWorld.Address(world.Accounts[2]);
        var old1 = world.Send(a, "old 1");
        var old2 = world.Send(a, "old 2");

        world.Roster.Add(world.Accounts[2].Fingerprint);
        var joined = world.Send(a, "welcome");

        Assert.Equal(SenderKeyRotation.None, joined.Rotation);
        Assert.Equal([late], joined.DistributeTo);
        Assert.Equal(2u, SenderKeyDistribution.Decode(joined.Distribution!).Iteration);
        Assert.Equal("welcome", world.Read(late, joined.Message));
        Assert.Throws<GroupMessageReplayException>(() => world.Read(late, old1.Message));
        Assert.Throws<GroupMessageReplayException>(() => world.Read(late, old2.Message));
    }

    [Fact]
    public void Out_of_order_messages_decrypt_once_and_replays_are_rejected()
    {
        var m = Enumerable.Range(0, 4).Select(i => _world.Send(A0, $"m{i}").Message).ToList();

        Assert.Equal("m3", _world.Read(B0, m[3]));
        Assert.Equal("m1", _world.Read(B0, m[1]));
        Assert.Equal("m0", _world.Read(B0, m[0]));
        Assert.Throws<GroupMessageReplayException>(() => _world.Read(B0, m[1]));
        Assert.Throws<GroupMessageReplayException>(() => _world.Read(B0, m[3]));
        Assert.Equal("m2", _world.Read(B0, m[2]));
    }

    [Fact]
    public void A_message_too_far_ahead_is_refused_and_changes_nothing()
    {
        using var world = new GroupWorld(2, 1, new SenderKeyOptions { MaxForwardJump = 2 });
        world.Roster.Add(world.Accounts[1].Fingerprint);
        var a = GroupWorld.Address(world.Accounts[0]);
        var b = GroupWorld.Address(world.Accounts[1]);
        var m = Enumerable.Range(0, 4).Select(i => world.Send(a, $"m{i}").Message).ToList();

        Assert.Throws<GroupMessageReplayException>(() => world.Read(b, m[3]));
        Assert.Equal("m0", world.Read(b, m[0]));
        Assert.Equal("m3", world.Read(b, m[3]));
    }

    [Fact]
    public void Tampered_ciphertext_signature_or_header_is_refused_and_changes_nothing()
    {
        var sent = _world.Send(A0, "integrity");
        var message = GroupMessage.Decode(sent.Message);

        var flippedCiphertext = (message with { Ciphertext = Bytes.Flip(message.Ciphertext, 0) }).Encode();
        var flippedSignature = (message with { Signature = Bytes.Flip(message.Signature, 5) }).Encode();
        var movedIteration = (message with { Iteration = 1 }).Encode();
        var otherChain = (message with { ChainId = new byte[16] }).Encode();

        Assert.Throws<SenderKeyRejectedException>(() => _world.Read(B0, flippedCiphertext));
        Assert.Throws<SenderKeyRejectedException>(() => _world.Read(B0, flippedSignature));
        Assert.Throws<SenderKeyRejectedException>(() => _world.Read(B0, movedIteration));
        Assert.Throws<SenderKeyRejectedException>(() => _world.Read(B0, otherChain));
        Assert.Throws<MalformedInputException>(() => _world.Read(B0, [.. sent.Message, 0]));
        Assert.Equal("integrity", _world.Read(B0, sent.Message));
    }

    [Fact]
    public void A_member_who_knows_the_chain_key_cannot_forge_a_message_of_its_sender()
    {
        var sent = _world.Send(A0, "genuine");
        var message = GroupMessage.Decode(sent.Message);
        // B holds A's chain key but not A's signing key: whatever B signs with its own key does not verify as A's chain.
        using var bKey = Crypto.Providers.CryptoProviders.Default.Signature(SignatureAlgorithm.Ed25519).GenerateKey();
        var forged = message with { Signature = Crypto.Providers.CryptoProviders.Default.Signature(SignatureAlgorithm.Ed25519).Sign(bKey, message.SignedContent()) };

        Assert.Throws<SenderKeyRejectedException>(() => _world.Read(C0, forged.Encode()));
    }

    [Fact]
    public void A_distribution_is_accepted_only_from_the_member_device_it_names()
    {
        var membership = _world.Membership();
        var sent = _world.Cipher(A0).Encrypt(membership, "x"u8);
        var other = new GroupMembership(GroupId.New(), null, membership.Devices);

        Assert.Throws<SenderKeyRejectedException>(() => _world.Cipher(C0).ProcessDistribution(membership, B0, sent.Distribution!));
        Assert.Throws<SenderKeyRejectedException>(() => _world.Cipher(C0).ProcessDistribution(other, A0, sent.Distribution!));
        var withoutA = new GroupMembership(membership.GroupId, null, membership.Devices.Where(d => !d.Equals(A0)));
        Assert.Throws<SenderKeyRejectedException>(() => _world.Cipher(C0).ProcessDistribution(withoutA, A0, sent.Distribution!));
        Assert.Throws<MalformedInputException>(() => _world.Cipher(C0).ProcessDistribution(membership, A0, sent.Distribution![..^1]));
        Assert.True(_world.Cipher(C0).ProcessDistribution(membership, A0, sent.Distribution!));
        Assert.False(_world.Cipher(C0).ProcessDistribution(membership, A0, sent.Distribution!));
        Assert.Equal("x", _world.Read(C0, sent.Message));
    }

    [Fact]
    public void A_device_that_is_not_a_member_cannot_send()
    {
        using var world = new GroupWorld(2, 1);
        var outsider = GroupWorld.Address(world.Accounts[1]);

        Assert.Throws<SenderKeyRejectedException>(() => world.Cipher(outsider).Encrypt(world.Membership(), "hi"u8));
    }

    [Fact]
    public void A_member_removed_and_added_again_starts_a_new_chain_and_gets_the_current_ones_again()
    {
        _world.Send(A0, "a1");
        _world.Send(C0, "c1");
        _world.Roster.Remove(_world.Accounts[2].Fingerprint);
        // C1 forgot the group when it was removed (what an honest client does); C0 kept its state.
        _world.Cipher(C1).Forget(_world.Roster.GroupId);
        _world.Roster.Add(_world.Accounts[2].Fingerprint);

        var fromC = _world.Send(C0, "c2");
        var fromA = _world.Send(A0, "a2");

        Assert.Equal(SenderKeyRotation.Rejoined, fromC.Rotation);
        Assert.Equal(SenderKeyRotation.None, fromA.Rotation);
        Assert.Contains(C0, fromA.DistributeTo);
        Assert.Contains(C1, fromA.DistributeTo);
        Assert.Equal("c2", _world.Read(B0, fromC.Message));
        Assert.Equal("a2", _world.Read(C0, fromA.Message));
        Assert.Equal("a2", _world.Read(C1, fromA.Message));
    }

    [Fact]
    public void Composite_signing_keys_work_and_cost_their_size_per_message()
    {
        using var world = new GroupWorld(2, 1, new SenderKeyOptions { SigningAlgorithm = SignatureAlgorithm.MlDsa65Ed25519 });
        world.Roster.Add(world.Accounts[1].Fingerprint);
        var sent = world.Send(GroupWorld.Address(world.Accounts[0]), "pq signed");
        var ed = _world.Send(A0, "pq signed");

        Assert.Equal("pq signed", world.Read(GroupWorld.Address(world.Accounts[1]), sent.Message));
        // 3,373 + 3 CBOR header bytes against 64 + 2.
        Assert.Equal(SignatureAlgorithm.MlDsa65Ed25519.MaxSignatureSize + 3 - (64 + 2), sent.Message.Length - ed.Message.Length);
    }
}
