using System.Collections.Concurrent;
using Enigm.Cli.Demo;
using Enigm.Client.Tests.Support;
using Enigm.Relay;
using Xunit;

namespace Enigm.Client.Tests.Calls;

/// <summary>
/// Three devices in one call through a real relay: Alice calls Bob, invites Carol during the call, then removes her.
/// Every device's media path goes through a <see cref="MediaWiretap"/>: Alice's and Bob's record the frames the relay
/// forwards to them, and Carol's acts as a relay that misbehaves (it keeps her socket open after the relay dropped her
/// and delivers to her frames captured at the others), so her own receiver is what shows which frames she can read.
/// </summary>
public sealed class ThreePartyCallTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TestDevices _devices = new();
    private readonly MediaWiretap _aliceTap = new(keepDeviceInCall: false);
    private readonly MediaWiretap _bobTap = new(keepDeviceInCall: false);
    private readonly MediaWiretap _carolTap = new(keepDeviceInCall: true);
    private readonly ConcurrentQueue<CallEvent> _alice = new();
    private readonly ConcurrentQueue<CallEvent> _bob = new();
    private readonly ConcurrentQueue<CallEvent> _carol = new();
    private TestRelay _relay = null!;
    private EnigmClient _aliceClient = null!;
    private EnigmClient _bobClient = null!;
    private EnigmClient _carolClient = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _aliceClient = await CreateAsync("alice", _aliceTap);
        _bobClient = await CreateAsync("bob", _bobTap);
        _carolClient = await CreateAsync("carol", _carolTap);
        await _aliceClient.AddContactAsync("bob", _bobClient.Account);
        await _aliceClient.AddContactAsync("carol", _carolClient.Account);
        await _bobClient.AddContactAsync("alice", _aliceClient.Account);
        await _carolClient.AddContactAsync("alice", _aliceClient.Account);
    }

    public async Task DisposeAsync()
    {
        _aliceClient.Dispose();
        _bobClient.Dispose();
        _carolClient.Dispose();
        await _relay.DisposeAsync();
        _aliceTap.Dispose();
        _bobTap.Dispose();
        _carolTap.Dispose();
        _devices.Dispose();
    }

    [Fact]
    public async Task A_joiner_reads_nothing_from_before_it_joined_and_a_removed_device_nothing_sent_after_its_removal()
    {
        var control = new CallControl();
        var ring = TimeSpan.FromSeconds(60);
        var bob = _bobClient.AnswerCallAsync(new CallOptions { Duration = TimeSpan.FromSeconds(120), RingTimeout = ring }, _bob.Enqueue);
        var carol = _carolClient.AnswerCallAsync(new CallOptions { Duration = TimeSpan.FromSeconds(15), RingTimeout = ring }, _carol.Enqueue);
        var alice = _aliceClient.StartCallAsync(["bob"], control, new CallOptions { Duration = TimeSpan.FromSeconds(120), RingTimeout = ring }, _alice.Enqueue);

        // Epoch 0: Alice and Bob. The relay forwards Alice's frames to Bob; his path records them.
        await WaitForAsync(() => Epochs(_bobTap, 0).Count >= 20, "Bob receives Alice's epoch-0 frames");
        await control.InviteAsync("carol");
        await WaitForAsync(() => _carol.Any(e => e.Kind == "rekeyed"), "Carol joins and holds epoch 1");
        await WaitForAsync(() => Epochs(_carolTap, 1).Select(Sender).Distinct().Count() == 2, "Carol receives epoch-1 frames from Alice and Bob");
        await WaitForAsync(() => Epochs(_aliceTap, 1).Any(f => Sender(f) == 2), "Alice receives Carol's frames");

        // What Alice sent Bob before Carol joined, delivered to Carol now.
        var beforeJoin = Epochs(_bobTap, 0).Take(20).ToList();
        foreach (var frame in beforeJoin) _carolTap.Deliver(frame);

        await control.RemoveAsync("carol");
        await WaitForAsync(() => _carolTap.RelayClosedWith == CallCloseCodes.Removed, "the relay drops Carol's media socket (4001)");
        await WaitForAsync(() => Epochs(_bobTap, 2).Count >= 20 && Epochs(_aliceTap, 2).Count >= 20, "Alice and Bob exchange epoch-2 frames");

        // What Alice and Bob sent each other after Carol's removal, delivered to Carol by the misbehaving path.
        var afterRemoval = Epochs(_bobTap, 2).Take(20).Concat(Epochs(_aliceTap, 2).Take(20)).ToList();
        foreach (var frame in afterRemoval) _carolTap.Deliver(frame);

        var injected = beforeJoin.Concat(afterRemoval).Select(Id).ToHashSet();
        await WaitForAsync(() => injected.IsSubsetOf(Refused(_carol, "call-wrong-epoch")), "Carol's receiver tries every injected frame");
        var carolReport = await carol;
        await control.EndAsync();
        var (aliceReport, bobReport) = (await alice, await bob);

        // None of the injected frames opened for Carol: each was refused as an epoch she does not hold.
        Assert.Subset(Refused(_carol, "call-wrong-epoch"), injected);
        Assert.Equal(40, afterRemoval.Count);
        Assert.All(afterRemoval, f => Assert.Contains(Sender(f), new[] { 0, 1 }));

        // While she was in, each of the three read the other two.
        Assert.True(carolReport.Senders.Single(s => s.Index == 0).FramesReceived > 0);
        Assert.True(carolReport.Senders.Single(s => s.Index == 1).FramesReceived > 0);
        Assert.True(bobReport.Senders.Single(s => s.Index == 2).FramesReceived > 0);
        Assert.True(aliceReport.Senders.Single(s => s.Index == 2).FramesReceived > 0);
        Assert.Equal(3, aliceReport.Epochs);
        Assert.Equal(2, aliceReport.Peers.Count);
        Assert.Equal(aliceReport.Peers.Single(p => p.Contact == "bob").Sas, Assert.Single(bobReport.Peers).Sas);
        Assert.Equal(aliceReport.Peers.Single(p => p.Contact == "carol").Sas, Assert.Single(carolReport.Peers).Sas);
        Assert.Contains(_bob, e => e.Kind == "rekeyed" && e.Detail.StartsWith("epoch 2 with 2 participant(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_who_leaves_is_rekeyed_out_and_the_others_talk_on()
    {
        var control = new CallControl();
        var ring = TimeSpan.FromSeconds(60);
        var bob = _bobClient.AnswerCallAsync(new CallOptions { Duration = TimeSpan.FromSeconds(120), RingTimeout = ring }, _bob.Enqueue);
        var carol = _carolClient.AnswerCallAsync(new CallOptions { Duration = TimeSpan.FromSeconds(2), RingTimeout = ring }, _carol.Enqueue);
        var alice = _aliceClient.StartCallAsync(["bob", "carol"], control, new CallOptions { Duration = TimeSpan.FromSeconds(120), RingTimeout = ring }, _alice.Enqueue);

        var carolReport = await carol;
        await WaitForAsync(() => _alice.Any(e => e.Kind == "left"), "Alice applies Carol's leave");
        var leftAt = Epochs(_bobTap, 2).Count;
        await WaitForAsync(() => Epochs(_bobTap, 2).Count >= leftAt + 20, "Bob keeps receiving Alice's frames in the epoch after the leave");
        await control.EndAsync();
        var (aliceReport, bobReport) = (await alice, await bob);

        Assert.True(carolReport.FramesReceived > 0, $"Carol received {carolReport.FramesReceived}");
        Assert.Equal(3, aliceReport.Epochs);
        Assert.True(bobReport.Senders.Single(s => s.Index == 0).FramesReceived > 0);
        Assert.Contains(_bob, e => e.Kind == "rekeyed" && e.Detail.StartsWith("epoch 2 with 2 participant(s)", StringComparison.Ordinal));
        Assert.Contains(_bob, e => e.Kind == "ended");
    }

    private Task<EnigmClient> CreateAsync(string name, MediaWiretap tap) =>
        EnigmClient.CreateAccountAsync(_devices.Options(name, _relay.Url) with { HttpHandler = tap }, name, TestDevices.Protector());

    private static List<byte[]> Epochs(MediaWiretap tap, int epoch) =>
        [.. tap.Frames.Where(f => SFrameHeader.TryRead(f, out var h, out _) && (h.Kid & 0xFF) == (ulong)epoch)];

    private static int Sender(byte[] frame) => SFrameHeader.TryRead(frame, out var header, out _) ? (int)(header.Kid >> 8) : -1;

    private static (ulong Kid, ulong Counter) Id(byte[] frame) =>
        SFrameHeader.TryRead(frame, out var header, out _) ? (header.Kid, header.Counter) : throw new InvalidOperationException("not an SFrame frame");

    private static HashSet<(ulong Kid, ulong Counter)> Refused(ConcurrentQueue<CallEvent> events, string code) =>
        [.. events.Where(e => e.Kind == "rejected" && e.Code == code && e.Kid is not null).Select(e => (e.Kid!.Value, e.Counter!.Value))];

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }
}
