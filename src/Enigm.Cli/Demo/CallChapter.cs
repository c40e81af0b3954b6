using System.Collections.Concurrent;
using Enigm.Client;
using Enigm.Relay;

namespace Enigm.Cli.Demo;

/// <summary>
/// The call chapter (issue 15), all through the relay on loopback: Alice calls Bob (signalling over their pairwise
/// sessions, SFrame media forwarded by the relay's call room, which cannot read it) and both show the same SAS; a frame
/// the relay alters and one it replays are refused; Alice invites Carol during the call (a new epoch), then removes
/// her (another epoch). Each device's media path runs through a <see cref="MediaWiretap"/>, standing for a relay that
/// misbehaves: it hands Carol what Alice said before Carol joined, and after her removal it keeps her connected and
/// hands her what Alice and Bob say next. Her own receiver refuses all of it. See docs/calls.md, docs/client.md "Calls".
/// </summary>
public sealed class CallChapter : IDemoChapter
{
    public string Name => "call";

    public string Title => "Secure calls: X-Wing call setup with SAS, SFrame media through the relay, a third participant joining and removed";

    public void Run(ChapterContext context) => RunAsync(context).GetAwaiter().GetResult();

    private static async Task RunAsync(ChapterContext context)
    {
        var ct = context.Cancellation;
        var folder = Directory.CreateTempSubdirectory("enigm-demo-call-").FullName;
        var devices = new List<EnigmClient>();
        var taps = new Dictionary<string, MediaWiretap> { ["alice"] = new(false), ["bob"] = new(false), ["carol"] = new(keepDeviceInCall: true) };
        var events = taps.Keys.ToDictionary(k => k, _ => new ConcurrentQueue<CallEvent>());
        DemoRelay? relay = null;
        try
        {
            context.Step("A relay on loopback; Alice's phone, Bob's laptop and Carol's tablet; Bob and Carol are Alice's contacts");
            relay = await DemoRelay.StartAsync(folder, ct);
            var alice = await CreateAsync(context, relay, folder, "alice", "phone", taps, devices);
            var bob = await CreateAsync(context, relay, folder, "bob", "laptop", taps, devices);
            var carol = await CreateAsync(context, relay, folder, "carol", "tablet", taps, devices);
            await alice.AddContactAsync("bob", bob.Account, ct);
            await alice.AddContactAsync("carol", carol.Account, ct);
            await bob.AddContactAsync("alice", alice.Account, ct);
            await carol.AddContactAsync("alice", alice.Account, ct);

            context.Step("Alice calls Bob: an X-Wing offer over their pairwise session; Bob answers; media flows through the relay's call room as SFrame (AES_256_GCM_SHA512_128)");
            var ring = RelayChapter.StepTimeout;
            var control = new CallControl();
            var bobCall = bob.AnswerCallAsync(new CallOptions { Duration = TimeSpan.FromMinutes(5), RingTimeout = ring }, Narrate(context, "Bob", events["bob"]), ct);
            var carolCall = carol.AnswerCallAsync(new CallOptions { Duration = TimeSpan.FromSeconds(10), RingTimeout = ring }, Narrate(context, "Carol", events["carol"]), ct);
            var aliceCall = alice.StartCallAsync(["bob"], control, new CallOptions { Duration = TimeSpan.FromMinutes(5), RingTimeout = ring }, Narrate(context, "Alice", events["alice"]), ct);
            context.Check("the relay forwards Alice's frames to Bob", () => Until(() => Epoch(taps["bob"], 0).Count >= 20, ct));

            context.Step("The relay flips one bit in the next frame it forwards to Bob, then forwards him again a frame he already played");
            var played = Epoch(taps["bob"], 0)[^1];
            taps["bob"].TamperWithNext();
            // Bob's receiver works in order: once it judged the altered frame, it has played the one before.
            context.Check("Bob refuses the altered frame (SFrame authentication fails)", () => Until(() => Refused(events["bob"], "sframe-authentication").Count >= 1, ct));
            taps["bob"].Deliver(played);
            context.Check("Bob refuses the replayed frame (replay window)", () => Until(() => Refused(events["bob"], "sframe-replay").Count == 1, ct));

            context.Step("Alice invites Carol during the call: only a trusted device of a contact rings; the relay room gets her; everyone moves to epoch 1");
            await control.InviteAsync("carol");
            // Epoch 1 reaches Bob and Carol over the mailbox while Alice already streams in it, so the first frames they get
            // can arrive before they hold its keys (dropped, not played). Count only what reached each of them after they
            // reported epoch 1: those frames are played, so the report's check at the end holds on a slow machine too.
            var keyedAt = new Dictionary<string, int>();
            bool After(string who, int sender) =>
                keyedAt.TryGetValue(who, out var from) && Epoch(taps[who], 1, from).Any(f => Sender(f) == sender);
            context.Check("Carol joins and each of the three reads the other two through the relay", () => Until(() =>
            {
                foreach (var who in (string[])["bob", "carol"])
                {
                    if (!keyedAt.ContainsKey(who) && events[who].Any(e => e.Kind == "rekeyed" && e.Detail.StartsWith("epoch 1 ", StringComparison.Ordinal)))
                        keyedAt[who] = taps[who].Frames.Count;
                }

                return After("carol", 0) && After("carol", 1) && After("bob", 2) && Epoch(taps["alice"], 1).Any(f => Sender(f) == 2);
            }, ct));
            var beforeJoin = Epoch(taps["bob"], 0).Skip(1).Take(20).ToList();
            context.Info($"the relay hands Carol {beforeJoin.Count} frames Alice sent Bob before Carol joined (epoch 0)");
            foreach (var frame in beforeJoin) taps["carol"].Deliver(frame);
            context.Check("Carol reads none of the frames sent before she joined: each is refused, an epoch she was never given", () =>
                Until(() => beforeJoin.Select(Id).ToHashSet().IsSubsetOf(Refused(events["carol"], "call-wrong-epoch")), ct));

            context.Step("Alice removes Carol: epoch 2 for Alice and Bob only; the relay drops Carol, but a misbehaving relay keeps her connected and forwards her what follows");
            await control.RemoveAsync("carol");
            context.Check("the relay closes Carol's media socket as removed (4001)", () => Until(() => taps["carol"].RelayClosedWith == CallCloseCodes.Removed, ct));
            context.Check("Alice and Bob go on talking in epoch 2", () => Until(() => Epoch(taps["bob"], 2).Count >= 20 && Epoch(taps["alice"], 2).Count >= 20, ct));
            var afterRemoval = Epoch(taps["bob"], 2).Take(20).Concat(Epoch(taps["alice"], 2).Take(20)).ToList();
            context.Info($"the misbehaving relay hands Carol {afterRemoval.Count} frames Alice and Bob sent each other after her removal");
            foreach (var frame in afterRemoval) taps["carol"].Deliver(frame);
            context.Check($"Carol reads none of the {afterRemoval.Count} frames sent after she was removed, though her device kept every key it had", () =>
                Until(() => afterRemoval.Select(Id).ToHashSet().IsSubsetOf(Refused(events["carol"], "call-wrong-epoch")), ct));

            var carolReport = await carolCall;
            await control.EndAsync();
            var (aliceReport, bobReport) = (await aliceCall, await bobCall);
            foreach (var (who, report) in new[] { ("Alice", aliceReport), ("Bob", bobReport), ("Carol", carolReport) })
            {
                context.Info($"{who}: sent {report.FramesSent}, received {report.FramesReceived} ({string.Join(", ", report.Senders.Select(s => $"{s.FramesReceived} from {s.Who}"))}), dropped {report.FramesDropped}, rejected {report.FramesRejected}; {report.Epochs} epoch(s)");
            }

            context.Check($"Alice and Bob show the same SAS ({bobReport.Peers.Single().Sas}), and Alice and Carol the same SAS ({carolReport.Peers.Single().Sas})", () =>
                aliceReport.Peers.Single(p => p.Contact == "bob").Sas == bobReport.Peers.Single().Sas && aliceReport.Peers.Single(p => p.Contact == "carol").Sas == carolReport.Peers.Single().Sas);
            context.Check("while Carol was in, each of the three read frames from each of the other two", () =>
                Heard(aliceReport, 1, 2) && Heard(bobReport, 0, 2) && Heard(carolReport, 0, 1));
            context.Check("Alice's call went through three epochs (Bob answers, Carol joins, Carol removed)", () => aliceReport.Epochs == 3);
        }
        finally
        {
            foreach (var device in devices) await device.DisposeAsync();
            if (relay is not null) await relay.DisposeAsync();
            foreach (var tap in taps.Values) tap.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<EnigmClient> CreateAsync(ChapterContext context, DemoRelay relay, string folder, string person, string device, Dictionary<string, MediaWiretap> taps, List<EnigmClient> devices)
    {
        var home = Path.Combine(folder, "devices", $"{person}-{device}");
        var options = new ClientOptions { Home = home, Server = relay.Url, HttpHandler = taps[person] };
        var client = await EnigmClient.CreateAccountAsync(options, $"{person}'s {device}", RelayChapter.Protector(context.Cancellation), context.Cancellation);
        devices.Add(client);
        context.Info($"{person}'s {device}: account {client.Account[..16]}…, device {client.DeviceId}");
        return client;
    }

    /// <summary>Narrates a device's call events (not each refused frame: the claims count those) and keeps them all.</summary>
    private static Action<CallEvent> Narrate(ChapterContext context, string who, ConcurrentQueue<CallEvent> into) => e =>
    {
        into.Enqueue(e);
        if (e.Kind != "rejected") context.Narrator.Info($"{who}: {e.Kind}: {e.Detail}{(e.Sas is null ? "" : $": SAS {e.Sas}")}");
    };

    /// <summary>Waits (a step's timeout at most) until <paramref name="condition"/> holds.</summary>
    private static bool Until(Func<bool> condition, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > RelayChapter.StepTimeout) return false;
            Task.Delay(50, ct).GetAwaiter().GetResult();
        }

        return true;
    }

    private static bool Heard(CallReport report, params int[] senders) =>
        senders.All(index => report.Senders.Any(s => s.Index == index && s.FramesReceived > 0));

    /// <summary>The media frames a path recorded in one epoch (the low 8 bits of the KID, docs/calls.md), from its <paramref name="from"/>th frame on.</summary>
    private static List<byte[]> Epoch(MediaWiretap tap, int epoch, int from = 0) =>
        [.. tap.Frames.Skip(from).Where(f => SFrameHeader.TryRead(f, out var header, out _) && (header.Kid & 0xFF) == (ulong)epoch)];

    private static int Sender(byte[] frame) => SFrameHeader.TryRead(frame, out var header, out _) ? (int)(header.Kid >> 8) : -1;

    private static (ulong Kid, ulong Counter) Id(byte[] frame) => SFrameHeader.TryRead(frame, out var header, out _) ? (header.Kid, header.Counter) : (ulong.MaxValue, 0);

    private static HashSet<(ulong Kid, ulong Counter)> Refused(ConcurrentQueue<CallEvent> events, string code) =>
        [.. events.Where(e => e.Kind == "rejected" && e.Code == code && e.Kid is not null).Select(e => (e.Kid!.Value, e.Counter!.Value))];
}
