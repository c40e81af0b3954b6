using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Relay;
using Xunit;
using CallParticipant = Enigm.Messaging.Calls.CallParticipant;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>
/// Joins and leaves in an N-party call: every change starts a new epoch, a member who left reads nothing sent
/// afterwards, a member who joined reads nothing sent before, and the others keep talking.
/// </summary>
public sealed class CallEpochTests(CallDevices devices) : IClassFixture<CallDevices>
{
    private static byte[] Audio(int i) => [.. Enumerable.Range(0, 160).Select(j => (byte)(i * 7 + j))];

    private sealed class Call(CallHost host, CallDevices devices) : IDisposable
    {
        public CallHost Host { get; } = host;

        public Dictionary<VerifiedIdentity, CallParticipant> Members { get; } = [];

        public CallParticipant Join(VerifiedIdentity device)
        {
            using var invitation = Host.Invite(device);
            var (member, answer) = IncomingCall.Receive(invitation.Offer, device, Host.Self, devices.Trusted).Accept();
            Members[device] = member;
            Deliver(Host.Admit(invitation.Complete(answer, device)));
            return member;
        }

        public void Deliver(IReadOnlyList<OutgoingCallSignal> rekeys)
        {
            Assert.Equal(Host.Members.Count, rekeys.Count);
            foreach (var rekey in rekeys) Members[rekey.Recipient].ApplyRekey(rekey.Message, Host.Self);
        }

        public void Dispose()
        {
            Host.Dispose();
            foreach (var member in Members.Values) member.Dispose();
        }
    }

    private Call Start() => new(new CallHost(devices.Alice), devices);

    [Fact]
    public void Every_join_and_leave_starts_a_new_epoch()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        Assert.Equal(0UL, call.Host.Epoch);
        var carol = call.Join(devices.Carol);
        Assert.Equal(1UL, call.Host.Epoch);
        Assert.Equal(1UL, bob.Media.Epoch);
        Assert.Equal(1UL, carol.Media.Epoch);
        call.Deliver(call.Host.ApplyLeave(carol.Leave(), devices.Carol));
        Assert.Equal(2UL, call.Host.Epoch);
        Assert.Equal(2UL, bob.Media.Epoch);
        Assert.Equal([0, 1], call.Host.Roster.Select(e => e.Index));
    }

    [Fact]
    public void All_members_hear_each_other()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var carol = call.Join(devices.Carol);
        var fromBob = bob.Media.Protect(Audio(1));
        Assert.Equal(Audio(1), carol.Media.Unprotect(fromBob));
        Assert.Equal(Audio(1), call.Host.Media.Unprotect(fromBob));
        var fromCarol = carol.Media.Protect(Audio(2));
        Assert.Equal(Audio(2), bob.Media.Unprotect(fromCarol));
        var header = SFrameHeader.Read(fromCarol, out _);
        Assert.True(CallKeyIds.TrySplit(header.Kid, out var sender, out var epochBits));
        Assert.Equal(carol.Index, sender);
        Assert.Equal(1, epochBits);
    }

    [Fact]
    public void A_member_who_left_cannot_decrypt_frames_sent_after_it_left()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var carol = call.Join(devices.Carol);
        var beforeLeave = call.Host.Media.Protect(Audio(1));
        Assert.Equal(Audio(1), carol.Media.Unprotect(beforeLeave));

        // Carol keeps a copy of her media keys: she does not call Leave (which would erase them); the host removes her.
        call.Deliver(call.Host.Remove(devices.Carol));
        var afterLeave = call.Host.Media.Protect(Audio(2));
        var fromBob = bob.Media.Protect(Audio(3));
        Assert.Equal(Audio(3), call.Host.Media.Unprotect(fromBob));
        Assert.Equal(Audio(2), bob.Media.Unprotect(afterLeave));

        var error = Assert.Throws<CallEpochException>(() => carol.Media.Unprotect(afterLeave));
        Assert.Equal(SFrameHeader.Read(afterLeave, out _).Kid, error.Kid);
        Assert.Throws<CallEpochException>(() => carol.Media.Unprotect(fromBob));
    }

    [Fact]
    public void Frames_a_removed_member_sends_are_refused_by_the_others()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var carol = call.Join(devices.Carol);
        call.Deliver(call.Host.Remove(devices.Carol));
        var stale = carol.Media.Protect(Audio(4));
        Assert.Throws<CallEpochException>(() => bob.Media.Unprotect(stale));
        Assert.Throws<CallEpochException>(() => call.Host.Media.Unprotect(stale));
    }

    [Fact]
    public void A_member_who_joins_cannot_decrypt_frames_sent_before_it_joined()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var early = call.Host.Media.Protect(Audio(5));
        var earlyBob = bob.Media.Protect(Audio(6));
        var dave = call.Join(devices.Dave);
        Assert.Throws<CallEpochException>(() => dave.Media.Unprotect(early));
        Assert.Throws<CallEpochException>(() => dave.Media.Unprotect(earlyBob));
        Assert.Equal(Audio(7), dave.Media.Unprotect(call.Host.Media.Protect(Audio(7))));
    }

    [Fact]
    public void Frames_in_flight_across_a_rekey_still_play_for_members_who_stay()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var inFlight = call.Host.Media.Protect(Audio(8));
        call.Join(devices.Carol);
        Assert.Equal(Audio(8), bob.Media.Unprotect(inFlight));
        var another = new byte[inFlight.Length];
        Assert.Throws<SFrameReplayException>(() => bob.Media.UnprotectInto(inFlight, another, out _));
        bob.Media.RetirePreviousEpoch();
        Assert.Throws<CallEpochException>(() => bob.Media.UnprotectInto(inFlight, another, out _));
    }

    [Fact]
    public void A_frame_from_a_retired_epoch_is_a_wrong_epoch()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var old = call.Host.Media.Protect(Audio(9));
        call.Join(devices.Carol);
        bob.Media.RetirePreviousEpoch();
        Assert.Throws<CallEpochException>(() => bob.Media.Unprotect(old));
    }

    [Fact]
    public void A_kid_of_no_member_is_an_unknown_key()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        using var stranger = new SFrameSender(SFrameCipherSuite.Default, CallKeyIds.Compose(40, 0), new byte[64]);
        Assert.Throws<SFrameUnknownKeyException>(() => bob.Media.Unprotect(stranger.Protect(Audio(1))));
    }

    [Fact]
    public void Refuses_a_rekey_not_from_the_host_a_replayed_one_and_one_for_another_call()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var rekey = call.Host.Admit(LinkFor(call, devices.Carol, out var carol));
        using (carol)
        {
            var forBob = rekey.Single(r => r.Recipient.Equals(devices.Bob)).Message;
            Assert.Throws<CallStateException>(() => bob.ApplyRekey(forBob, devices.Carol));
            bob.ApplyRekey(forBob, devices.Alice);
            Assert.Throws<CallStateException>(() => bob.ApplyRekey(forBob, devices.Alice));

            using var otherCall = Start();
            var otherBob = otherCall.Join(devices.Bob);
            var forCarol = rekey.Single(r => r.Recipient.Equals(devices.Carol)).Message;
            Assert.Throws<CallStateException>(() => otherBob.ApplyRekey(forCarol, devices.Alice));
        }
    }

    [Fact]
    public void Refuses_a_rekey_meant_for_another_member()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var rekeys = call.Host.Admit(LinkFor(call, devices.Carol, out var carol));
        using (carol)
        {
            var forCarol = rekeys.Single(r => r.Recipient.Equals(devices.Carol)).Message;
            Assert.Throws<CallStateException>(() => bob.ApplyRekey(forCarol, devices.Alice));
        }
    }

    [Fact]
    public void Refuses_a_leave_sent_in_another_members_name()
    {
        using var call = Start();
        call.Join(devices.Bob);
        var carol = call.Join(devices.Carol);
        var leave = carol.Leave();
        Assert.Throws<CallStateException>(() => call.Host.ApplyLeave(leave, devices.Bob));
        Assert.Equal(2, call.Host.Members.Count);
    }

    [Fact]
    public void The_host_ending_the_call_erases_member_keys()
    {
        using var call = Start();
        var bob = call.Join(devices.Bob);
        var end = Assert.Single(call.Host.End());
        bob.ApplyHostLeave(end.Message, devices.Alice);
        Assert.True(bob.Ended);
        Assert.Throws<CallStateException>(() => bob.Media);
    }

    [Fact]
    public void Kid_layout_puts_the_sender_above_eight_epoch_bits()
    {
        Assert.Equal(0x0321UL, CallKeyIds.Compose(3, 0x21));
        Assert.Equal(0x0300UL, CallKeyIds.Compose(3, 0x100));
        Assert.True(CallKeyIds.TrySplit(0x0321, out var index, out var epoch));
        Assert.Equal((3, (byte)0x21), (index, epoch));
        Assert.False(CallKeyIds.TrySplit(64UL << 8, out _, out _));
        Assert.Throws<CallStateException>(() => CallKeyIds.Compose(64, 0));
        Assert.Equal(3, new SFrameHeader(CallKeyIds.Compose(63, 255), 0).EncodedSize);
    }

    private CallLink LinkFor(Call call, VerifiedIdentity device, out CallParticipant member)
    {
        using var invitation = call.Host.Invite(device);
        var (participant, answer) = IncomingCall.Receive(invitation.Offer, device, call.Host.Self, devices.Trusted).Accept();
        member = participant;
        return invitation.Complete(answer, device);
    }
}
