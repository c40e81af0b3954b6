using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Calls.Signals;
using Enigm.Messaging.Prekeys;
using Enigm.Relay;
using Enigm.Trust.DeviceLog;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The parsers of secure calls (docs/calls.md): the SFrame header a relay reads from every media frame, with the
/// receiver behind it, and every call signalling message. Checked on accepted input: a header re-encodes to the
/// bytes it was read from (one encoding per (KID, CTR)), no frame but the fixture's own authentic ones is
/// accepted (no forgery), and a signalling message re-encodes to the same bytes.
/// </summary>
internal static class CallTargets
{
    private static readonly Lazy<CallFixture> Fixture = new(CallFixture.Create);

    public static FuzzTarget SFrameHeaderTarget { get; } = new(
        "sframe-header",
        "SFrameHeader.Read (shortest-form KID and CTR), then SFrameReceiver.Unprotect under the fixture's key; an accepted header re-encodes identically, only the fixture's frames decrypt.",
        static () => _ = Fixture.Value,
        RunFrame,
        static () => Fixture.Value.FrameSeeds);

    public static FuzzTarget CallSignalTarget { get; } = new(
        "call-signal",
        "CallSignal.Decode (offer, direct or not; answer, rekey, leave); an accepted message re-encodes identically, and an offer goes through IncomingCall.Receive as the fixture's callee.",
        static () => _ = Fixture.Value,
        RunSignal,
        static () => Fixture.Value.SignalSeeds);

    private static void RunFrame(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var header = SFrameHeader.Read(input, out var size);
        FuzzInvariantException.Check(SFrameHeader.TryRead(input, out var again, out var againSize) && again == header && againSize == size, "Read and TryRead disagree");
        FuzzInvariantException.Check(header.Encode().AsSpan().SequenceEqual(input[..size]), "an accepted header does not re-encode to the same bytes");

        // A fresh receiver per input: replay state must not carry over between executions.
        using var receiver = new SFrameReceiver(fixture.Suite);
        receiver.AddKey(CallFixture.Kid, fixture.BaseKey);
        var plaintext = new byte[Math.Max(0, input.Length)];
        receiver.UnprotectInto(input, plaintext, out _);
        var frame = input.ToArray();
        FuzzInvariantException.Check(fixture.Frames.Any(f => f.AsSpan().SequenceEqual(frame)), "a frame the fixture never protected was accepted (forgery)");
    }

    private static void RunSignal(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var bytes = input.ToArray();
        var signal = CallSignal.Decode(bytes);
        FuzzInvariantException.Check(signal.Encode().AsSpan().SequenceEqual(bytes), "an accepted call signal does not re-encode to the same bytes");
        if (signal is CallOffer)
        {
            var ringing = IncomingCall.Receive(bytes, fixture.Bob, fixture.Alice, [fixture.Alice]);
            FuzzInvariantException.Check(ringing.Caller.Equals(fixture.Alice), "an offer rang from a device that did not send it");
        }
    }

    private sealed class CallFixture
    {
        public const ulong Kid = 0x0105;

        public required SFrameCipherSuite Suite { get; init; }

        public required byte[] BaseKey { get; init; }

        public required List<byte[]> Frames { get; init; }

        public required VerifiedIdentity Alice { get; init; }

        public required VerifiedIdentity Bob { get; init; }

        public required List<FuzzSeed> FrameSeeds { get; init; }

        public required List<FuzzSeed> SignalSeeds { get; init; }

        public static CallFixture Create()
        {
            var suite = SFrameCipherSuite.Default;
            var baseKey = Fixtures.Pattern(suite.HashSize, 9);
            using var sender = new SFrameSender(suite, Kid, baseKey);
            var frames = new List<byte[]> { sender.Protect([]), sender.Protect(Fixtures.Pattern(160, 1)), sender.Protect(Fixtures.Pattern(20, 2)) };
            List<FuzzSeed> frameSeeds =
            [
                .. frames.Select((f, i) => new FuzzSeed($"frame-{i}", f)),
                new("header-small", new SFrameHeader(3, 5).Encode()),
                new("header-long", new SFrameHeader(ulong.MaxValue, 0x0102030405).Encode()),
            ];

            var alice = Identity(5);
            var bob = Identity(6);
            using var host = new CallHost(alice.Identity, providers: Fixtures.Providers);
            using var invitation = host.Invite(bob.Identity);
            var (member, answer) = IncomingCall.Receive(invitation.Offer, bob.Identity, alice.Identity, [alice.Identity]).Accept(Fixtures.Providers);
            var rekey = host.Admit(invitation.Complete(answer, bob.Identity))[0].Message;
            member.ApplyRekey(rekey, alice.Identity);
            using var directHost = new CallHost(alice.Identity, providers: Fixtures.Providers);
            using var direct = directHost.Invite(bob.Identity, direct: true);
            List<FuzzSeed> signalSeeds =
            [
                new("offer", invitation.Offer),
                new("offer-direct", direct.Offer),
                new("answer", answer),
                new("rekey", rekey),
                new("leave", member.Leave()),
            ];
            member.Dispose();
            return new CallFixture
            {
                Suite = suite,
                BaseKey = baseKey,
                Frames = frames,
                Alice = alice.Identity,
                Bob = bob.Identity,
                FrameSeeds = frameSeeds,
                SignalSeeds = signalSeeds,
            };
        }

        private static MessagingIdentity Identity(byte salt)
        {
            var scheme = Fixtures.Providers.Signature(SignatureAlgorithm.MlDsa65Ed25519);
            PrivateKey key = scheme.ImportPrivateKey(Fixtures.Pattern(SignatureAlgorithm.MlDsa65Ed25519.PrivateKeySize, salt));
            var id = DeviceLogWriter.DeviceIdFor(key);
            var writer = DeviceLogWriter.CreateGenesis(id, $"device-{salt}", key);
            return MessagingIdentity.Create(DeviceLogVerifier.Verify(writer.Entries), id, key, providers: Fixtures.Providers);
        }
    }
}
