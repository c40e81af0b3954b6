using Enigm.Client;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.DeviceLog;

namespace Enigm.Cli.Demo;

/// <summary>
/// The call chapter (issue 15): Alice calls Bob through the relay on loopback (signalling over their pairwise
/// sessions, SFrame media forwarded by the relay's call room, which cannot read it) and both show the same SAS; then,
/// on the same protocol objects in memory, a tampered and a replayed frame are refused, Carol joins (a new epoch) and
/// is removed (another epoch), and a frame sent after she left does not open for her even though she kept her keys.
/// See docs/calls.md and docs/client.md "Calls".
/// </summary>
public sealed class CallChapter : IDemoChapter
{
    public string Name => "call";

    public string Title => "Secure calls: X-Wing call setup with SAS, SFrame media through the relay, epochs on join and leave";

    public void Run(ChapterContext context)
    {
        ThroughTheRelayAsync(context).GetAwaiter().GetResult();
        InMemory(context);
    }

    private static async Task ThroughTheRelayAsync(ChapterContext context)
    {
        var ct = context.Cancellation;
        var folder = Directory.CreateTempSubdirectory("enigm-demo-call-").FullName;
        var devices = new List<EnigmClient>();
        DemoRelay? relay = null;
        try
        {
            context.Step("A relay on loopback; Alice's phone and Bob's laptop, each the other's contact");
            relay = await DemoRelay.StartAsync(folder, ct);
            var world = new GroupWorld(context, relay, folder, devices);
            var alice = await world.CreateAsync("alice", "phone");
            var bob = await world.CreateAsync("bob", "laptop");
            await alice.AddContactAsync("bob", bob.Account, ct);
            await bob.AddContactAsync("alice", alice.Account, ct);

            context.Step("Alice calls Bob: an offer with an X-Wing ephemeral key over their pairwise session; Bob answers; media flows through the relay's call room as SFrame (AES_256_GCM_SHA512_128)");
            var options = new CallOptions { Duration = TimeSpan.FromSeconds(3), RingTimeout = RelayChapter.StepTimeout };
            var answering = bob.AnswerCallAsync(options, e => context.Info($"Bob: {e.Kind}: {e.Detail}{(e.Sas is null ? "" : $": SAS {e.Sas}")}"), ct);
            var calling = alice.StartCallAsync(["bob"], options, e => context.Info($"Alice: {e.Kind}: {e.Detail}{(e.Sas is null ? "" : $": SAS {e.Sas}")}"), ct);
            var caller = await calling;
            var callee = await answering;
            context.Info($"Alice: sent {caller.FramesSent}, received {caller.FramesReceived}, dropped {caller.FramesDropped}, rejected {caller.FramesRejected}; keyed in {caller.SetupMilliseconds} ms");
            context.Info($"Bob:   sent {callee.FramesSent}, received {callee.FramesReceived}, dropped {callee.FramesDropped}, rejected {callee.FramesRejected}");
            context.Check($"both sides show the same SAS ({caller.Peers.Single().Sas}), derived from the call transcript", () => caller.Peers.Single().Sas == callee.Peers.Single().Sas);
            context.Check("each side read the other's frames through the relay, and none was refused", () =>
                caller.FramesReceived > 0 && callee.FramesReceived > 0 && caller.FramesRejected == 0 && callee.FramesRejected == 0);
        }
        finally
        {
            foreach (var device in devices) await device.DisposeAsync();
            if (relay is not null) await relay.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void InMemory(ChapterContext context)
    {
        using var alice = Identity("alice");
        using var bob = Identity("bob");
        using var carol = Identity("carol");
        using var host = new CallHost(alice.Identity);

        context.Step("The same call objects in memory: Alice hosts, Bob answers; epoch 0 keys one SFrame sender per participant");
        using var bobSide = Join(host, alice, bob);
        var payload = new byte[160];
        var frame = host.Media.Protect(payload);
        context.Check("Bob reads Alice's frame", () => bobSide.Media.Unprotect(frame).Length == 160);

        context.Step("Someone on the path tampers with a frame, then replays one");
        var fresh = host.Media.Protect(payload);
        var tampered = (byte[])fresh.Clone();
        tampered[^1] ^= 0x01;
        context.Rejects<SFrameAuthenticationException>("a frame with one bit flipped in its tag is refused", () => bobSide.Media.Unprotect(tampered));
        context.Check("the untouched frame still opens afterwards (a refusal changes nothing)", () => bobSide.Media.Unprotect(fresh).Length == 160);
        context.Rejects<SFrameReplayException>("a frame delivered twice is refused the second time", () => bobSide.Media.Unprotect(frame));

        context.Step("Carol joins: Alice admits her and starts epoch 1 for everyone");
        using var carolSide = Join(host, alice, carol, bobSide);
        var toBoth = host.Media.Protect(payload);
        context.Check("Bob and Carol both read Alice's epoch-1 frame", () => bobSide.Media.Unprotect(toBoth).Length == 160 && carolSide.Media.Unprotect(toBoth).Length == 160);

        context.Step("Carol leaves: Alice starts epoch 2 for Bob only; Carol keeps the keys she had");
        foreach (var rekey in host.Remove(carol.Identity)) bobSide.ApplyRekey(rekey.Message, alice.Identity);
        var afterLeave = host.Media.Protect(payload);
        context.Check("Bob reads the frame sent after Carol left", () => bobSide.Media.Unprotect(afterLeave).Length == 160);
        context.Rejects<CallEpochException>("the frame sent after she left does not open for Carol (an epoch she was never given)", () => carolSide.Media.Unprotect(afterLeave));
    }

    /// <summary>Rings <paramref name="joiner"/>, answers, admits it, and applies the rekeys to it and to <paramref name="others"/>.</summary>
    private static Messaging.Calls.CallParticipant Join(CallHost host, DemoIdentity from, DemoIdentity joiner, params Messaging.Calls.CallParticipant[] others)
    {
        using var invitation = host.Invite(joiner.Identity);
        var (side, answer) = IncomingCall.Receive(invitation.Offer, joiner.Identity, from.Identity, [from.Identity]).Accept();
        var link = invitation.Complete(answer, joiner.Identity);
        foreach (var rekey in host.Admit(link))
        {
            var to = rekey.Recipient.Equals(joiner.Identity) ? side : others.Single(o => o.Link.Local.Equals(rekey.Recipient));
            to.ApplyRekey(rekey.Message, from.Identity);
        }

        return side;
    }

    private static DemoIdentity Identity(string name)
    {
        var key = Crypto.Providers.CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
        var deviceId = DeviceLogWriter.DeviceIdFor(key);
        var log = DeviceLogWriter.CreateGenesis(deviceId, name, key);
        return new DemoIdentity(key, MessagingIdentity.Create(DeviceLogVerifier.Verify(log.Entries), deviceId, key));
    }

    private sealed class DemoIdentity(PrivateKey key, MessagingIdentity messaging) : IDisposable
    {
        public VerifiedIdentity Identity => messaging.Identity;

        public void Dispose()
        {
            messaging.Dispose();
            key.Dispose();
        }
    }
}
