using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Envelope;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Setup;
using Enigm.Trust.DeviceLog;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The parsers of Enigm.Messaging's wire objects (docs/protocol.md). Each accepts an input or rejects it
/// with an <c>EnigmException</c> (malformed input, suite and version errors, prekey-bundle-invalid,
/// device-not-trusted, setup-key-invalid, sealed-sender-invalid). Checked on accepted input: the object
/// re-encodes to the same bytes (one encoding per meaning) and nothing the fixture did not sign or seal is
/// accepted as verified (no forgery).
/// </summary>
internal static class MessagingTargets
{
    private static readonly Lazy<MessagingFixture> Fixture = new(MessagingFixture.Create);

    public static FuzzTarget PrekeyBundleTarget { get; } = new(
        "prekey-bundle",
        "PrekeyBundle.Decode then PrekeyBundleVerifier.Verify against the fixture's device log; re-encodes identically, never verifies a key the fixture did not sign.",
        static () => _ = Fixture.Value,
        RunBundle,
        static () => Fixture.Value.BundleSeeds);

    public static FuzzTarget SealedSenderLayerTarget { get; } = new(
        "sealed-sender-layer",
        "SealedSenderCipher.Open as the fixture's recipient device, senders checked against the fixture's log; never opens content the fixture did not seal.",
        static () => _ = Fixture.Value,
        RunLayer,
        static () => Fixture.Value.LayerSeeds);

    public static FuzzTarget EnvelopeTarget { get; } = new(
        "envelope",
        "MessageEnvelope.Decode; an accepted envelope re-encodes to the same bytes.",
        static () => _ = Fixture.Value,
        static input =>
        {
            var bytes = input.ToArray();
            var envelope = MessageEnvelope.Decode(bytes);
            FuzzInvariantException.Check(envelope.Encode().AsSpan().SequenceEqual(bytes), "an accepted envelope does not re-encode to the same bytes");
        },
        static () => Fixture.Value.EnvelopeSeeds);

    public static FuzzTarget InitialMessageTarget { get; } = new(
        "pqxdh-initial-message",
        "PqxdhInitialMessage.Decode; an accepted message re-encodes to the same bytes.",
        static () => _ = Fixture.Value,
        static input =>
        {
            var bytes = input.ToArray();
            var message = PqxdhInitialMessage.Decode(bytes);
            FuzzInvariantException.Check(message.Encode().AsSpan().SequenceEqual(bytes), "an accepted initial message does not re-encode to the same bytes");
        },
        static () => Fixture.Value.InitialMessageSeeds);

    private static void RunBundle(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var bytes = input.ToArray();
        var bundle = PrekeyBundle.Decode(bytes);
        FuzzInvariantException.Check(bundle.Encode().AsSpan().SequenceEqual(bytes), "an accepted bundle does not re-encode to the same bytes");
        var verified = PrekeyBundleVerifier.Verify(bundle, fixture.BobLog, providers: Fixtures.Providers);
        FuzzInvariantException.Check(verified.Identity.Equals(fixture.Bob.Identity), "verified a bundle for an identity the fixture never certified");
        FuzzInvariantException.Check(verified.SignedPrekey.Key.AsSpan().SequenceEqual(fixture.SignedPrekey), "verified a signed prekey the fixture never signed");
        FuzzInvariantException.Check(verified.OneTimeKemPrekeys.All(k => fixture.KemPrekeys.Any(p => p.AsSpan().SequenceEqual(k.Key))), "verified a one-time KEM prekey the fixture never committed to");
    }

    private static void RunLayer(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var opened = SealedSenderCipher.Open(fixture.Bob, input.ToArray(), a => a.Equals(fixture.AliceLog.Account) ? fixture.AliceLog : null, providers: Fixtures.Providers);
        FuzzInvariantException.Check(opened.Sender.Equals(fixture.Alice.Identity), "opened a layer from a sender the fixture never certified");
        FuzzInvariantException.Check(fixture.Contents.Any(c => c.AsSpan().SequenceEqual(opened.Content)), "opened content the fixture never sealed");
    }

    /// <summary>Two accounts (Alice and Bob, one device each) with identities, Bob's prekeys and sealed messages.</summary>
    private sealed class MessagingFixture
    {
        public required MessagingIdentity Alice { get; init; }

        public required MessagingIdentity Bob { get; init; }

        public required TrustedDeviceSet AliceLog { get; init; }

        public required TrustedDeviceSet BobLog { get; init; }

        public required byte[] SignedPrekey { get; init; }

        public required List<byte[]> KemPrekeys { get; init; }

        public required List<byte[]> Contents { get; init; }

        public required List<FuzzSeed> BundleSeeds { get; init; }

        public required List<FuzzSeed> LayerSeeds { get; init; }

        public required List<FuzzSeed> EnvelopeSeeds { get; init; }

        public required List<FuzzSeed> InitialMessageSeeds { get; init; }

        public static MessagingFixture Create()
        {
            var (aliceLog, aliceKey, aliceId) = Account(3);
            var (bobLog, bobKey, bobId) = Account(4);
            var alice = MessagingIdentity.Create(aliceLog, aliceId, aliceKey, providers: Fixtures.Providers);
            var bob = MessagingIdentity.Create(bobLog, bobId, bobKey, providers: Fixtures.Providers);
            var store = new InMemoryPrekeyStore();
            var prekeys = new DevicePrekeys(bob, bobKey, store, new PrekeyPolicy(OneTimePrekeys: 2, OneTimeKemPrekeys: 2), Fixtures.Providers);
            var published = prekeys.PublishBundle();
            var full = PrekeyBundle.Decode(published);
            var fetched = full.WithOnly(full.OneTimePrekeys[0].Id, full.OneTimeKemPrekeys[0].Id).Encode();
            var bare = full.WithOnly(null, null).Encode();
            var verified = PrekeyBundleVerifier.Verify(fetched, bobLog, providers: Fixtures.Providers);

            byte[][] contents = [[], "a short ratchet message"u8.ToArray(), Fixtures.Pattern(1500, 5)];
            var layers = contents.Select(c => SealedSenderCipher.Seal(alice, bob.Identity, 1, c, Fixtures.Providers)).ToList();
            var envelope = SealedSenderCipher.SealToEnvelope(alice, bob.Identity, 1, contents[1], providers: Fixtures.Providers);
            using var initiation = PqxdhInitiator.Start(alice, verified, Fixtures.Providers);
            using var lastResort = PqxdhInitiator.Start(alice, PrekeyBundleVerifier.Verify(bare, bobLog, providers: Fixtures.Providers), Fixtures.Providers);

            return new MessagingFixture
            {
                Alice = alice,
                Bob = bob,
                AliceLog = aliceLog,
                BobLog = bobLog,
                SignedPrekey = full.SignedPrekey.Key,
                KemPrekeys = [.. full.OneTimeKemPrekeys.Select(k => k.Key)],
                Contents = [.. contents],
                BundleSeeds = [new("published", published), new("fetched", fetched), new("without-one-time-keys", bare)],
                LayerSeeds = [.. layers.Select((l, i) => new FuzzSeed($"layer-{i}", l)), new("certificate-not-a-layer", alice.Certificate)],
                EnvelopeSeeds = [new("sealed", envelope), new("empty-layer", new MessageEnvelope(SuiteRegistry.Suite1, bob.Identity.Account, bob.Identity.DeviceId, DateTimeOffset.UnixEpoch, EnvelopeContent.SealedSender, []).Encode())],
                InitialMessageSeeds = [new("with-one-time-keys", initiation.InitialMessage), new("last-resort", lastResort.InitialMessage)],
            };
        }

        private static (TrustedDeviceSet Log, PrivateKey Key, string DeviceId) Account(byte salt)
        {
            var scheme = Fixtures.Providers.Signature(SignatureAlgorithm.MlDsa65Ed25519);
            var key = scheme.ImportPrivateKey(Fixtures.Pattern(SignatureAlgorithm.MlDsa65Ed25519.PrivateKeySize, salt));
            var id = DeviceLogWriter.DeviceIdFor(key);
            var writer = DeviceLogWriter.CreateGenesis(id, $"device-{salt}", key);
            return (DeviceLogVerifier.Verify(writer.Entries), key, id);
        }
    }
}
