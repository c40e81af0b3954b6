using Enigm.Messaging.Calls;
using Enigm.Messaging.Prekeys;
using Xunit;

namespace Enigm.Messaging.Tests.Calls;

/// <summary>
/// Random joins, removals, leaves and frames (fixed seeds, so a failure replays): every frame is readable by exactly
/// the devices that are members when it is sent. Departed members keep their old participant objects and keys (the
/// worst case: a device that ignores the host and never erases anything).
/// </summary>
public sealed class CallMembershipProperties(CallDevices devices) : IClassFixture<CallDevices>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_member_decrypts_exactly_the_frames_sent_while_it_was_a_member(int seed)
    {
        var random = new Random(seed);
        using var host = new CallHost(devices.Alice);
        var pool = new[] { devices.Bob, devices.Carol, devices.Dave };
        var current = new Dictionary<VerifiedIdentity, CallParticipant>();
        var everyone = new List<(VerifiedIdentity Device, CallParticipant Participant)>();
        var frames = 0;
        try
        {
            for (var step = 0; step < 60; step++)
            {
                var outsiders = pool.Where(d => !current.ContainsKey(d)).ToList();
                var choice = random.Next(4);
                if (choice == 0 && outsiders.Count > 0)
                {
                    var device = outsiders[random.Next(outsiders.Count)];
                    using var invitation = host.Invite(device);
                    var (member, answer) = IncomingCall.Receive(invitation.Offer, device, devices.Alice, devices.Trusted).Accept();
                    current[device] = member;
                    everyone.Add((device, member));
                    Deliver(host.Admit(invitation.Complete(answer, device)), current);
                }
                else if (choice == 1 && current.Count > 0)
                {
                    // Removed by the host; the device keeps its object and keys.
                    var device = current.Keys.ElementAt(random.Next(current.Count));
                    current.Remove(device);
                    Deliver(host.Remove(device), current);
                }
                else if (current.Count > 0)
                {
                    var senders = current.Values.Select(p => p.Media).Prepend(host.Media).ToList();
                    var sender = senders[random.Next(senders.Count)];
                    var audio = new byte[160];
                    random.NextBytes(audio);
                    var frame = sender.Protect(audio);
                    frames++;

                    if (sender != host.Media) Assert.Equal(audio, host.Media.Unprotect(frame));
                    foreach (var (device, participant) in everyone)
                    {
                        if (participant.Media == sender) continue;
                        var isMember = current.TryGetValue(device, out var now) && now == participant;
                        if (isMember)
                            Assert.Equal(audio, participant.Media.Unprotect(frame));
                        else
                            Assert.ThrowsAny<EnigmException>(() => participant.Media.Unprotect(frame));
                    }
                }
            }

            Assert.True(frames > 10, $"seed {seed} sent only {frames} frames");
        }
        finally
        {
            foreach (var (_, participant) in everyone) participant.Dispose();
        }
    }

    private void Deliver(IReadOnlyList<OutgoingCallSignal> rekeys, Dictionary<VerifiedIdentity, CallParticipant> current)
    {
        Assert.Equal(current.Count, rekeys.Count);
        foreach (var rekey in rekeys) current[rekey.Recipient].ApplyRekey(rekey.Message, devices.Alice);
    }
}
