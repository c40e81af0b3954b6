using System.Text.Json.Nodes;
using Enigm.E2E.Tests.Support;
using Xunit;

namespace Enigm.E2E.Tests;

/// <summary>
/// <c>enigm group …</c> and <c>enigm call …</c> as separate processes against a real relay process: a group
/// conversation with a removal, a call whose two sides print the same SAS, and a call a third device joins and leaves.
/// </summary>
public sealed class GroupsAndCallsTests(SqliteRelayFixture relay) : IClassFixture<SqliteRelayFixture>
{
    [SkippableFact]
    public async Task A_group_conversation_reaches_every_member_and_a_removed_member_reads_nothing_new()
    {
        var (alice, bob, carol) = await ThreePeopleAsync();

        var created = await alice.JsonAsync("group", "create", "crew", "--members", "bob,carol");
        Assert.Equal(3, ((JsonArray)created["members"]!).Count);
        await bob.ReceiveAsync(wait: 3);
        await carol.ReceiveAsync(wait: 3);

        var sent = await alice.JsonAsync("group", "send", "crew", "first to the crew");
        Assert.Equal(2, (int)sent["devices"]!);
        Assert.Equal("first to the crew", (string)Assert.Single(await bob.ReceiveAsync(wait: 10, expected: 1))!["text"]!);
        Assert.Equal("first to the crew", (string)Assert.Single(await carol.ReceiveAsync(wait: 10, expected: 1))!["text"]!);
        var shown = await bob.JsonAsync("group", "show", "crew");
        Assert.Contains(((JsonArray)shown["messages"]!), m => (string)m!["text"]! == "first to the crew");

        await alice.JsonAsync("group", "remove", "crew", "carol");
        var rotated = await alice.JsonAsync("group", "send", "crew", "carol is out");
        Assert.Equal("MembershipShrank", (string)rotated["rotation"]!);
        Assert.Equal("carol is out", (string)Assert.Single(await bob.ReceiveAsync(wait: 10, expected: 1))!["text"]!);
        Assert.Empty(await carol.ReceiveAsync(wait: 2));

        var unknown = await bob.RunAsync("group", "send", "no-such-group", "x");
        Assert.Equal(95, unknown.Code);
        var notAdmin = await bob.RunAsync("group", "add", "crew", alice.Account);
        Assert.Equal(102, notAdmin.Code);
    }

    [SkippableFact]
    public async Task A_call_shows_the_same_SAS_on_both_sides_and_frames_flow_both_ways()
    {
        var server = await relay.StartAsync();
        var alice = relay.NewDevice("alice");
        var bob = relay.NewDevice("bob");
        await alice.InitAsync(server.Url, "alice");
        await bob.InitAsync(server.Url, "bob");
        await alice.AddContactAsync("bob", bob);
        await bob.AddContactAsync("alice", alice);

        var answering = bob.JsonAsync("call", "answer", "--wait", "60", "--duration", "2");
        await Task.Delay(1000);
        var calling = alice.JsonAsync("call", "start", "bob", "--duration", "2", "--ring", "60");
        var (caller, callee) = (await calling, await answering);

        var callerSas = (string)((JsonArray)caller["peers"]!)[0]!["sas"]!;
        var calleeSas = (string)((JsonArray)callee["peers"]!)[0]!["sas"]!;
        Assert.Equal(callerSas, calleeSas);
        Assert.True((long)caller["framesReceived"]! > 0 && (long)callee["framesReceived"]! > 0);
        Assert.Equal(0, (long)caller["framesRejected"]!);
        Assert.Equal(0, (long)callee["framesRejected"]!);
    }

    [SkippableFact]
    public async Task A_third_device_invited_during_a_call_joins_and_is_removed_by_the_caller()
    {
        var (alice, bob, carol) = await ThreePeopleAsync();
        await bob.AddContactAsync("alice", alice);
        await carol.AddContactAsync("alice", alice);

        var bobAnswering = bob.JsonAsync("call", "answer", "--wait", "60", "--duration", "60");
        var carolAnswering = carol.JsonAsync("call", "answer", "--wait", "60", "--duration", "60");
        await Task.Delay(1000);
        var calling = alice.JsonAsync("call", "start", "bob", "--duration", "9", "--ring", "60",
            "--invite", "carol", "--invite-after", "1", "--remove", "carol", "--remove-after", "5");
        var (caller, bobSide, carolSide) = (await calling, await bobAnswering, await carolAnswering);

        // Bob answers (epoch 0, from the call secret), Carol joins (epoch 1), Carol is removed (epoch 2).
        Assert.Equal(3, (int)caller["epochs"]!);
        var peers = (JsonArray)caller["peers"]!;
        Assert.Equal(2, peers.Count);
        Assert.Equal((string)((JsonArray)bobSide["peers"]!)[0]!["sas"]!, (string)peers.Single(p => (string)p!["contact"]! == "bob")!["sas"]!);
        Assert.Equal((string)((JsonArray)carolSide["peers"]!)[0]!["sas"]!, (string)peers.Single(p => (string)p!["contact"]! == "carol")!["sas"]!);
        // Each heard the others through the relay while Carol was in.
        Assert.True(FramesFrom(caller, 2) > 0, "Alice heard Carol");
        Assert.True(FramesFrom(bobSide, 2) > 0, "Bob heard Carol");
        Assert.True(FramesFrom(carolSide, 0) > 0 && FramesFrom(carolSide, 1) > 0, "Carol heard Alice and Bob");
        // Removed: the relay dropped her and her call ended long before her 60 seconds.
        Assert.True(FramesFrom(bobSide, 0) > FramesFrom(carolSide, 0), "Bob heard Alice for longer than Carol did");
    }

    /// <summary>Alice, Bob and Carol on the relay, each with an account; Alice has the other two as contacts.</summary>
    private async Task<(ClientDevice Alice, ClientDevice Bob, ClientDevice Carol)> ThreePeopleAsync()
    {
        var server = await relay.StartAsync();
        var alice = relay.NewDevice("alice");
        var bob = relay.NewDevice("bob");
        var carol = relay.NewDevice("carol");
        await alice.InitAsync(server.Url, "alice");
        await bob.InitAsync(server.Url, "bob");
        await carol.InitAsync(server.Url, "carol");
        await alice.AddContactAsync("bob", bob);
        await alice.AddContactAsync("carol", carol);
        return (alice, bob, carol);
    }

    private static long FramesFrom(JsonNode report, int index) =>
        ((JsonArray)report["senders"]!).Where(s => (int)s!["index"]! == index).Select(s => (long)s!["framesReceived"]!).SingleOrDefault();
}
