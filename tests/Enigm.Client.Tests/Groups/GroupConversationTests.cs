using Enigm.Client.Tests.Support;
using Enigm.Relay;
using Xunit;

namespace Enigm.Client.Tests.Groups;

/// <summary>
/// A group of three people (Alice with two devices) and a late joiner, through a real relay: rosters and sender keys
/// over the pairwise sessions, one stored-once ciphertext per message. Removal and joining are asserted on the
/// ciphertext captured at the relay (from another member's mailbox) and handed to the device that must not read it.
/// </summary>
public sealed class GroupConversationTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private EnigmClient _alice1 = null!;
    private EnigmClient _alice2 = null!;
    private EnigmClient _bob = null!;
    private EnigmClient _carol = null!;
    private EnigmClient _dave = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _alice1 = await _devices.CreateAsync("alice1", _relay.Url);
        _bob = await _devices.CreateAsync("bob", _relay.Url);
        _carol = await _devices.CreateAsync("carol", _relay.Url);
        _dave = await _devices.CreateAsync("dave", _relay.Url);
        _alice2 = await _devices.LinkAsync(_alice1, "alice2", _relay.Url);
        await _alice1.AddContactAsync("bob", _bob.Account);
        await _alice1.AddContactAsync("carol", _carol.Account);
        await _alice1.AddContactAsync("dave", _dave.Account);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { _alice1, _alice2, _bob, _carol, _dave }) client.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task Members_read_group_messages_a_removed_member_reads_nothing_new_and_a_late_joiner_nothing_old()
    {
        var created = await _alice1.CreateGroupAsync("team", ["bob", "carol"]);
        Assert.Equal(3, created.Members.Count);
        foreach (var member in new[] { _bob, _carol, _alice2 })
        {
            var notices = (await member.ReceiveAsync(TimeSpan.FromSeconds(5))).Notices;
            Assert.Contains(notices, n => n.Kind == ClientNoticeKind.GroupChanged);
            Assert.Equal(created.GroupId, Assert.Single(member.Groups()).GroupId);
        }

        var first = await _alice1.SendGroupTextAsync("team", "hello team");
        Assert.True(first.NewChain);
        Assert.Equal(3, first.Devices);
        foreach (var member in new[] { _bob, _carol, _alice2 })
        {
            var received = Assert.Single((await member.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages);
            Assert.Equal("hello team", received.Text);
            Assert.Equal("team", received.Group);
            Assert.Equal(_alice1.Account, received.FromAccount);
        }

        // Removal: Alice's next message is on a new chain, which Carol never gets.
        await _alice1.RemoveGroupMemberAsync("team", "carol");
        Assert.Contains((await _carol.ReceiveAsync(TimeSpan.FromSeconds(5))).Notices, n => n.Kind == ClientNoticeKind.GroupChanged);
        Assert.False(Assert.Single(_carol.Groups()).IsMember);
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        var afterRemoval = await _alice1.SendGroupTextAsync("team", "carol is gone");
        Assert.Equal("MembershipShrank", afterRemoval.Rotation);
        var captured = await CaptureAtRelayAsync(_bob, afterRemoval.MessageId);
        var atCarol = await _carol.HandleAsync(captured, null, CancellationToken.None);
        Assert.Null(atCarol.Message);
        Assert.Contains(atCarol.Notices, n => n.Kind == ClientNoticeKind.MessageRefused);
        Assert.Equal("carol is gone", Assert.Single((await _bob.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);

        // A late joiner: what was sent before Dave joined stays unreadable to him.
        var beforeDave = await _alice1.SendGroupTextAsync("team", "before dave");
        var old = await CaptureAtRelayAsync(_bob, beforeDave.MessageId);
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        await _alice1.AddGroupMembersAsync("team", ["dave"]);
        Assert.Contains((await _dave.ReceiveAsync(TimeSpan.FromSeconds(5))).Notices, n => n.Kind == ClientNoticeKind.GroupChanged);
        await _alice1.SendGroupTextAsync("team", "welcome dave");
        Assert.Equal("welcome dave", Assert.Single((await _dave.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages).Text);
        var oldAtDave = await _dave.HandleAsync(old, null, CancellationToken.None);
        Assert.Null(oldAtDave.Message);
        Assert.Contains(oldAtDave.Notices, n => n.Kind == ClientNoticeKind.MessageRefused);

        // Any member sends: its chain goes pairwise first, then one ciphertext for everyone (Alice's two devices too).
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        var fromBob = await _bob.SendGroupTextAsync("team", "hi from bob");
        Assert.Equal(3, fromBob.Devices);
        foreach (var member in new[] { _alice1, _alice2, _dave })
            Assert.Contains((await member.ReceiveAsync(TimeSpan.FromSeconds(5))).Messages, m => m.Text == "hi from bob" && m.Group == "team");
        Assert.Empty((await _carol.ReceiveAsync(TimeSpan.FromMilliseconds(300))).Messages);
    }

    [Fact]
    public async Task A_non_admin_cannot_change_the_roster_and_an_unknown_group_is_a_typed_error()
    {
        await _alice1.CreateGroupAsync("admins", ["bob"]);
        await _bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        await _bob.AddContactAsync("carol", _carol.Account);

        await Assert.ThrowsAsync<Messaging.Errors.GroupRosterNotAdminException>(() => _bob.AddGroupMembersAsync("admins", ["carol"]));
        await Assert.ThrowsAsync<Errors.ClientStateException>(() => _bob.SendGroupTextAsync("no-such-group", "x"));
    }

    /// <summary>The stored-once group ciphertext as the relay holds it in <paramref name="member"/>'s mailbox (nothing acknowledged).</summary>
    private static async Task<MailboxMessage> CaptureAtRelayAsync(EnigmClient member, string messageId)
    {
        for (var i = 0; i < 50; i++)
        {
            var page = await member.Relay.MailboxAsync(RelayLimits.MaxMailboxFetch, 0, CancellationToken.None);
            if (page.Messages.FirstOrDefault(m => Convert.ToHexStringLower(m.MessageId) == messageId) is { } found)
            {
                Assert.NotNull(found.Shared);
                return found;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"message {messageId} never reached the relay");
    }
}
