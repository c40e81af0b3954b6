using Enigm.Client.Groups;
using Enigm.Client.Tests.Support;
using Enigm.Relay;
using Xunit;

namespace Enigm.Client.Tests.Groups;

/// <summary>
/// Sender-key rotation through real clients and a real relay (issue 15, "Must show": removal, revocation and periodic
/// rotation asserted on ciphertext captured at the relay). Every ciphertext checked here is read from the relay's
/// store and handed to the device that must not read it, which holds every chain it ever had: it stops processing
/// its mailbox before the event, so it never forgets anything. A control ciphertext from before the event, captured
/// and handed over the same way, decrypts there: the refusal after the event is the rotation's doing.
/// </summary>
public sealed class GroupRotationTests : IAsyncLifetime
{
    private const string UnknownChain = "on a chain this device does not have";

    private readonly TestDevices _devices = new();
    private readonly List<EnigmClient> _clients = [];
    private TestRelay _relay = null!;

    public async Task InitializeAsync() => _relay = await TestRelay.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task After_a_device_is_revoked_every_remaining_sender_rotates_and_the_revoked_device_reads_nothing_captured_later()
    {
        var alice1 = await CreateAsync("alice1");
        var bob = await CreateAsync("bob");
        var carol = await CreateAsync("carol");
        var alice2 = Track(await _devices.LinkAsync(alice1, "alice2", _relay.Url));
        await alice1.AddContactAsync("bob", bob.Account);
        await alice1.AddContactAsync("carol", carol.Account);
        await alice1.CreateGroupAsync("team", ["bob", "carol"]);
        foreach (var member in new[] { alice2, bob, carol }) await member.ReceiveAsync(TimeSpan.FromSeconds(5));
        var senders = new[] { alice1, bob, carol };

        // Every sender's chain reaches alice2 (pairwise), and alice2 reads each sender's first message.
        foreach (var sender in senders)
        {
            await sender.SendGroupTextAsync("team", $"first from {sender.DeviceId}");
            await DrainAsync(senders.Where(s => s != sender));
        }

        Assert.Equal(3, (await TextsAsync(alice2, 3)).Count);

        // Control: a second message of each sender, captured at the relay, opens at alice2 on the chain it holds.
        var chainsBefore = new Dictionary<EnigmClient, string>();
        foreach (var sender in senders)
        {
            var sent = await sender.SendGroupTextAsync("team", $"second from {sender.DeviceId}");
            Assert.Equal("None", sent.Rotation);
            var captured = await RelayCapture.GroupMessageAsync(_relay, alice2, sent.MessageId);
            chainsBefore[sender] = RelayCapture.ChainOf(captured);
            var read = await alice2.HandleAsync(captured, null, CancellationToken.None);
            Assert.Equal($"second from {sender.DeviceId}", read.Message?.Text);
            await DrainAsync(senders.Where(s => s != sender));
        }

        // Alice revokes alice2 in her device log; alice2 processes nothing from now on.
        await alice1.RevokeDeviceAsync(alice2.DeviceId);

        foreach (var sender in senders)
        {
            var sent = await sender.SendGroupTextAsync("team", $"after the revocation from {sender.DeviceId}");
            Assert.Equal("MembershipShrank", sent.Rotation);
            var reader = sender == bob ? carol : bob;
            var captured = await RelayCapture.GroupMessageAsync(_relay, reader, sent.MessageId);
            Assert.NotEqual(chainsBefore[sender], RelayCapture.ChainOf(captured));
            Assert.False(await RelayCapture.IsStoredForAsync(_relay, alice2, sent.MessageId));
            AssertUnreadable(await alice2.HandleAsync(captured, null, CancellationToken.None));
            foreach (var other in senders.Where(s => s != sender))
                Assert.Contains($"after the revocation from {sender.DeviceId}", await TextsAsync(other, 1));
        }
    }

    [Fact]
    public async Task After_a_removal_every_remaining_sender_rotates_and_the_removed_member_reads_nothing_captured_later()
    {
        var alice = await CreateAsync("alice");
        var bob = await CreateAsync("bob");
        var carol = await CreateAsync("carol");
        await alice.AddContactAsync("bob", bob.Account);
        await alice.AddContactAsync("carol", carol.Account);
        await alice.CreateGroupAsync("team", ["bob", "carol"]);
        foreach (var member in new[] { bob, carol }) await member.ReceiveAsync(TimeSpan.FromSeconds(5));
        var remaining = new[] { alice, bob };
        foreach (var sender in remaining)
        {
            await sender.SendGroupTextAsync("team", $"before from {sender.DeviceId}");
            await DrainAsync(remaining.Where(s => s != sender));
        }

        Assert.Equal(2, (await TextsAsync(carol, 2)).Count);

        // Carol is removed but never processes it: her device keeps both chains and the group as it was.
        await alice.RemoveGroupMemberAsync("team", "carol");
        await DrainAsync([bob]);
        foreach (var sender in remaining)
        {
            var sent = await sender.SendGroupTextAsync("team", $"after from {sender.DeviceId}");
            Assert.Equal("MembershipShrank", sent.Rotation);
            var captured = await RelayCapture.GroupMessageAsync(_relay, sender == alice ? bob : alice, sent.MessageId);
            AssertUnreadable(await carol.HandleAsync(captured, null, CancellationToken.None));
            Assert.Contains($"after from {sender.DeviceId}", await TextsAsync(sender == alice ? bob : alice, 1));
        }
    }

    [Fact]
    public async Task Periodic_rotation_after_N_messages_locks_out_a_thief_of_the_chain_state()
    {
        var (alice, bob) = await PairInGroupAsync(new GroupOptions { RotateAfterMessages = 3 }, TimeProvider.System);
        var first = await alice.SendGroupTextAsync("team", "m1");
        Assert.Equal("FirstChain", first.Rotation);
        Assert.Equal(new[] { "m1" }, await TextsAsync(bob, 1));
        (bob, var thief) = Steal(bob, "bob");

        var sent = new List<GroupSendSummary>();
        for (var i = 2; i <= 5; i++) sent.Add(await alice.SendGroupTextAsync("team", $"m{i}"));
        Assert.Equal(new[] { "None", "None", "Periodic", "None" }, sent.Select(s => s.Rotation));
        var captured = new List<MailboxMessage>();
        foreach (var s in sent) captured.Add(await RelayCapture.GroupMessageAsync(_relay, bob, s.MessageId));

        // The stolen state derives the rest of its chain (m2, m3) and nothing of the next one (m4, m5).
        Assert.Equal("m2", (await thief.HandleAsync(captured[0], null, CancellationToken.None)).Message?.Text);
        Assert.Equal("m3", (await thief.HandleAsync(captured[1], null, CancellationToken.None)).Message?.Text);
        AssertUnreadable(await thief.HandleAsync(captured[2], null, CancellationToken.None));
        AssertUnreadable(await thief.HandleAsync(captured[3], null, CancellationToken.None));
        Assert.Equal(new[] { "m2", "m3", "m4", "m5" }, await TextsAsync(bob, 4));
    }

    [Fact]
    public async Task Periodic_rotation_after_time_T_locks_out_a_thief_of_the_chain_state()
    {
        var clock = new ShiftedClock();
        var (alice, bob) = await PairInGroupAsync(new GroupOptions { RotateAfter = TimeSpan.FromHours(1) }, clock);
        Assert.Equal("FirstChain", (await alice.SendGroupTextAsync("team", "t1")).Rotation);
        Assert.Equal(new[] { "t1" }, await TextsAsync(bob, 1));
        (bob, var thief) = Steal(bob, "bob");

        var beforePeriod = await alice.SendGroupTextAsync("team", "t2");
        clock.Advance(TimeSpan.FromMinutes(59));
        var justBefore = await alice.SendGroupTextAsync("team", "t3");
        clock.Advance(TimeSpan.FromMinutes(2));
        var afterPeriod = await alice.SendGroupTextAsync("team", "t4");
        Assert.Equal(new[] { "None", "None", "Periodic" }, new[] { beforePeriod, justBefore, afterPeriod }.Select(s => s.Rotation));

        Assert.Equal("t2", (await thief.HandleAsync(await RelayCapture.GroupMessageAsync(_relay, bob, beforePeriod.MessageId), null, CancellationToken.None)).Message?.Text);
        Assert.Equal("t3", (await thief.HandleAsync(await RelayCapture.GroupMessageAsync(_relay, bob, justBefore.MessageId), null, CancellationToken.None)).Message?.Text);
        AssertUnreadable(await thief.HandleAsync(await RelayCapture.GroupMessageAsync(_relay, bob, afterPeriod.MessageId), null, CancellationToken.None));
        Assert.Equal(new[] { "t2", "t3", "t4" }, await TextsAsync(bob, 3));
    }

    private static void AssertUnreadable(EnigmClient.Handled handled)
    {
        Assert.Null(handled.Message);
        Assert.Contains(handled.Notices, n => n.Kind == ClientNoticeKind.MessageRefused && n.Detail.Contains(UnknownChain, StringComparison.Ordinal));
    }

    /// <summary>Alice (with the given rotation options and clock) and Bob in a group "team".</summary>
    private async Task<(EnigmClient Alice, EnigmClient Bob)> PairInGroupAsync(GroupOptions groups, TimeProvider time)
    {
        var alice = Track(await EnigmClient.CreateAccountAsync(_devices.Options("alice", _relay.Url) with { Groups = groups, Time = time }, "alice", TestDevices.Protector()));
        var bob = await CreateAsync("bob");
        await alice.AddContactAsync("bob", bob.Account);
        await alice.CreateGroupAsync("team", ["bob"]);
        await bob.ReceiveAsync(TimeSpan.FromSeconds(5));
        return (alice, bob);
    }

    /// <summary>
    /// A thief copies <paramref name="name"/>'s whole device folder (closed for the copy, then reopened): it holds the
    /// chain state as it is now. The test hands it only group ciphertexts captured at the relay; the new chain travels
    /// in the pairwise session, whose own post-compromise security (the ratchet's) is not what this checks.
    /// </summary>
    private (EnigmClient Device, EnigmClient Thief) Steal(EnigmClient device, string name)
    {
        device.Dispose();
        _clients.Remove(device);
        var stolen = _devices.Home(name + "-stolen");
        CopyFolder(_devices.Home(name), stolen);
        var reopened = Track(_devices.Open(name));
        return (reopened, Track(EnigmClient.Open(_devices.Options(name, null) with { Home = stolen }, _ => TestDevices.Protector())));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from)) CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
    }

    /// <summary>Receives until <paramref name="count"/> messages arrived (bounded), returning their texts in order.</summary>
    private static async Task<List<string>> TextsAsync(EnigmClient client, int count)
    {
        var texts = new List<string>();
        for (var i = 0; i < 20 && texts.Count < count; i++)
            texts.AddRange((await client.ReceiveAsync(TimeSpan.FromSeconds(2))).Messages.Select(m => m.Text ?? ""));
        return texts;
    }

    private static async Task DrainAsync(IEnumerable<EnigmClient> clients)
    {
        foreach (var client in clients) await client.ReceiveAsync(TimeSpan.FromSeconds(5));
    }

    private async Task<EnigmClient> CreateAsync(string name) => Track(await _devices.CreateAsync(name, _relay.Url));

    private EnigmClient Track(EnigmClient client)
    {
        _clients.Add(client);
        return client;
    }
}
