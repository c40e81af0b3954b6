using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>
/// Epoch 0 of a two-party call keyed directly from the call secret (docs/calls.md, "Epoch 0"): no rekey after the
/// answer, the same keys on both sides only when both hashed the same transcript, and later epochs as in any call.
/// </summary>
public sealed class CallFirstEpochTests(CallDevices devices) : IClassFixture<CallDevices>
{
    private static readonly byte[] Audio = [.. Enumerable.Range(0, 160).Select(i => (byte)i)];

    [Fact]
    public void A_direct_answer_keys_epoch_0_on_both_sides_without_a_rekey()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob, direct: true);
        var (bob, answer) = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        using (bob)
        {
            // The callee can send before the host has even read the answer.
            var early = bob.Media.Protect(Audio);
            Assert.Equal(1, bob.Index);
            Assert.Equal(0UL, bob.Media.Epoch);
            Assert.Empty(host.Admit(invitation.Complete(answer, devices.Bob)));

            Assert.Equal(0UL, host.Epoch);
            Assert.Equal(Audio, host.Media.Unprotect(early));
            Assert.Equal(Audio, bob.Media.Unprotect(host.Media.Protect(Audio)));
            Assert.Equal([0, 1], bob.Roster.Select(e => e.Index));
            Assert.Equal(devices.Alice.Binding, bob.Roster[0].Binding);
        }
    }

    [Fact]
    public void Epoch_0_keys_differ_when_the_two_sides_hashed_different_transcripts()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob, direct: true);
        var (bob, answer) = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        var parsed = CallSignal.Decode<CallAnswer>(answer);
        var ciphertext = (byte[])parsed.Ciphertext.Clone();
        ciphertext[^1] ^= 0x01; // X-Wing implicit rejection: the host gets another shared secret, and no error
        using (bob)
        {
            Assert.Empty(host.Admit(invitation.Complete((parsed with { Ciphertext = ciphertext }).Encode(), devices.Bob)));
            Assert.Throws<SFrameAuthenticationException>(() => host.Media.Unprotect(bob.Media.Protect(Audio)));
            Assert.Throws<SFrameAuthenticationException>(() => bob.Media.Unprotect(host.Media.Protect(Audio)));
        }
    }

    [Fact]
    public void Two_direct_calls_between_the_same_devices_share_no_key()
    {
        using var host1 = new CallHost(devices.Alice);
        using var host2 = new CallHost(devices.Alice);
        var bob1 = Direct(host1);
        var bob2 = Direct(host2);
        using (bob1)
        using (bob2)
        {
            // Same KID (index 0, epoch 0) in both calls, so only the keys can tell them apart.
            Assert.Equal(host1.Media.SendingKid, host2.Media.SendingKid);
            Assert.Throws<SFrameAuthenticationException>(() => bob2.Media.Unprotect(host1.Media.Protect(Audio)));
        }
    }

    [Fact]
    public void A_joiner_after_a_direct_start_gets_a_random_epoch_1_and_cannot_read_epoch_0()
    {
        using var host = new CallHost(devices.Alice);
        using var bob = Direct(host);
        var before = host.Media.Protect(Audio);
        using var toCarol = host.Invite(devices.Carol);
        var (carol, answer) = IncomingCall.Receive(toCarol.Offer, devices.Carol, devices.Alice, devices.Trusted).Accept();
        using (carol)
        {
            Assert.Throws<CallStateException>(() => carol.Media);
            foreach (var rekey in host.Admit(toCarol.Complete(answer, devices.Carol)))
                (rekey.Recipient.Equals(devices.Bob) ? bob : carol).ApplyRekey(rekey.Message, devices.Alice);

            Assert.Equal(2, carol.Index);
            Assert.Equal(1, bob.Index);
            Assert.Equal(1UL, bob.Media.Epoch);
            Assert.Throws<CallEpochException>(() => carol.Media.Unprotect(before));
            var after = host.Media.Protect(Audio);
            Assert.Equal(Audio, carol.Media.Unprotect(after));
            Assert.Equal(Audio, bob.Media.Unprotect(after));
        }
    }

    [Fact]
    public void A_device_answering_before_the_direct_callee_does_not_take_its_index()
    {
        using var host = new CallHost(devices.Alice);
        using var toBob = host.Invite(devices.Bob, direct: true);
        using var toCarol = host.Invite(devices.Carol);
        var (carol, carolsAnswer) = IncomingCall.Receive(toCarol.Offer, devices.Carol, devices.Alice, devices.Trusted).Accept();
        var (bob, bobsAnswer) = IncomingCall.Receive(toBob.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        using (carol)
        using (bob)
        {
            foreach (var rekey in host.Admit(toCarol.Complete(carolsAnswer, devices.Carol))) carol.ApplyRekey(rekey.Message, devices.Alice);
            Assert.Equal(2, carol.Index);
            // Bob keyed epoch 0 alone; the host already had one, so Bob is rekeyed into the current epoch at index 1.
            foreach (var rekey in host.Admit(toBob.Complete(bobsAnswer, devices.Bob)))
                (rekey.Recipient.Equals(devices.Bob) ? bob : carol).ApplyRekey(rekey.Message, devices.Alice);
            Assert.Equal(1, bob.Index);
            Assert.Equal(Audio, bob.Media.Unprotect(carol.Media.Protect(Audio)));
        }
    }

    [Fact]
    public void Only_the_first_offer_of_a_call_without_an_epoch_may_be_direct()
    {
        using var host = new CallHost(devices.Alice);
        using var first = host.Invite(devices.Bob, direct: true);
        Assert.Throws<CallStateException>(() => host.Invite(devices.Carol, direct: true));

        using var started = new CallHost(devices.Alice);
        using var bob = Direct(started);
        Assert.Throws<CallStateException>(() => started.Invite(devices.Carol, direct: true));
    }

    [Fact]
    public void The_offer_carries_whether_it_is_direct_and_a_non_direct_answer_waits_for_a_rekey()
    {
        using var host = new CallHost(devices.Alice);
        using var invitation = host.Invite(devices.Bob);
        Assert.False(CallSignal.Decode<CallOffer>(invitation.Offer).Direct);
        var (bob, _) = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        using (bob)
        {
            Assert.Null(bob.Index);
            Assert.Throws<CallStateException>(() => bob.Media);
        }
    }

    private CallParticipant Direct(CallHost host)
    {
        using var invitation = host.Invite(devices.Bob, direct: true);
        Assert.True(CallSignal.Decode<CallOffer>(invitation.Offer).Direct);
        var (bob, answer) = IncomingCall.Receive(invitation.Offer, devices.Bob, devices.Alice, devices.Trusted).Accept();
        Assert.Empty(host.Admit(invitation.Complete(answer, devices.Bob)));
        return bob;
    }
}
