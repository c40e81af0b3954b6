using Enigm.Messaging.Groups;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Sessions;
using Enigm.Messaging.Tests.Support;
using Xunit;

namespace Enigm.Messaging.Tests.Groups;

/// <summary>
/// Property: over random membership changes (add, remove, leave, re-add, device revocation) and random message
/// schedules (senders, out-of-order delivery), every device decrypts exactly the messages sent while it was a
/// member device: all of those, none of the others, even when it keeps every chain it ever had and reads with the
/// most permissive view of the group.
/// </summary>
public sealed class MembershipScheduleProperties
{
    private const int Accounts = 5;
    private const int DevicesEach = 2;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_device_decrypts_exactly_the_messages_sent_while_it_was_a_member(int seed)
    {
        using var fixture = new RosterFixture();
        var random = new Random(seed);
        var accounts = Enumerable.Range(0, Accounts).Select(i => fixture.Account($"p{i}", DevicesEach)).ToList();
        var pool = accounts.SelectMany(a => a.Devices.Select(d => new SessionAddress(a.Fingerprint, d.Id))).ToList();
        var ciphers = pool.ToDictionary(d => d, d => new SenderKeyCipher(d, new InMemorySenderKeyStore()));
        var entries = fixture.Create(accounts[0]).Entries.ToList();
        var group = GroupRosterVerifier.Verify(entries, fixture.Logs).GroupId;
        var everyone = new GroupMembership(group, null, pool);
        var revoked = new HashSet<int>();
        var pending = new List<(byte[] Message, SessionAddress From, HashSet<SessionAddress> Recipients, string Text)>();
        var (delivered, refused, changes) = (0, 0, 0);

        GroupMembership Current() => GroupMembership.From(GroupRosterVerifier.Verify(entries, fixture.Logs), fixture.Logs);

        void Flush()
        {
            var membership = Current();
            foreach (var (message, from, recipients, text) in pending.OrderBy(_ => random.Next()))
            {
                foreach (var device in pool.Where(d => !d.Equals(from)))
                {
                    if (recipients.Contains(device))
                    {
                        var read = ciphers[device].Decrypt(membership, message);
                        Assert.Equal(from, read.From);
                        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(read.Plaintext));
                        delivered++;
                    }
                    else
                    {
                        Assert.ThrowsAny<EnigmException>(() => ciphers[device].Decrypt(everyone, message));
                        refused++;
                    }
                }
            }

            pending.Clear();
        }

        for (var step = 0; step < 60; step++)
        {
            var roster = GroupRosterVerifier.Verify(entries, fixture.Logs);
            var members = accounts.Where(a => roster.IsMember(a.Fingerprint)).ToList();
            var others = accounts.Where(a => !roster.IsMember(a.Fingerprint)).ToList();
            var choice = random.Next(100);
            if (choice < 60)
            {
                var membership = Current();
                var from = membership.Devices[random.Next(membership.Devices.Count)];
                var text = $"step {step} from {from.DeviceId}";
                var result = ciphers[from].Encrypt(membership, System.Text.Encoding.UTF8.GetBytes(text));
                if (result.Distribution is { } distribution)
                    foreach (var target in result.DistributeTo) ciphers[target].ProcessDistribution(membership, from, distribution);
                pending.Add((result.Message, from, [.. result.Recipients], text));
                Assert.Equal(membership.Devices.Where(d => !d.Equals(from)), result.Recipients);
                if (random.Next(3) == 0) Flush();
                continue;
            }

            // Deliveries in flight reach their recipients before the membership changes.
            Flush();
            changes++;
            GroupRosterWriter? writer = null;
            if (choice < 75 && others.Count > 0)
            {
                writer = fixture.Open(entries, accounts[0]);
                writer.Add(others[random.Next(others.Count)].Fingerprint);
            }
            else if (choice < 87 && members.Count > 1)
            {
                writer = fixture.Open(entries, accounts[0]);
                writer.Remove(members[1 + random.Next(members.Count - 1)].Fingerprint);
            }
            else if (choice < 95 && members.Count > 1)
            {
                writer = fixture.Open(entries, members[1 + random.Next(members.Count - 1)]);
                writer.Leave();
            }
            else
            {
                var index = 1 + random.Next(Accounts - 1);
                if (revoked.Add(index)) accounts[index].Revoke(accounts[index].Devices[1]);
            }

            if (writer is not null) entries = [.. writer.Entries];
        }

        Flush();
        Assert.True(delivered > 50, $"only {delivered} deliveries");
        Assert.True(refused > 20, $"only {refused} refusals");
        Assert.True(changes > 10, $"only {changes} membership changes");
    }
}
