using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Groups;
using Enigm.Messaging.Groups.Delivery;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The parsers of group objects (docs/groups.md). Each accepts an input or rejects it with an
/// <c>EnigmException</c> (malformed input, suite and version errors, the group-roster family, sender-key-rejected,
/// group-message-replay). Checked on accepted input: the object re-encodes to the same bytes, and nothing the
/// fixture did not sign or send is accepted (no forgery).
/// </summary>
internal static class GroupTargets
{
    private static readonly Lazy<GroupFixture> Fixture = new(GroupFixture.Create);

    public static FuzzTarget RosterEntry { get; } = new(
        "group-roster-entry",
        "GroupRosterReplay.Apply of one entry after the fixture's two-entry roster (create, add), signatures checked against the fixture's device logs; re-encodes identically, never accepts an entry the fixture did not sign.",
        static () => _ = Fixture.Value,
        RunRosterEntry,
        static () => Fixture.Value.RosterSeeds);

    public static FuzzTarget Distribution { get; } = new(
        "sender-key-distribution",
        "SenderKeyDistribution.Decode then SenderKeyCipher.ProcessDistribution as a member device, from the device the distribution names; re-encodes identically.",
        static () => _ = Fixture.Value,
        RunDistribution,
        static () => Fixture.Value.DistributionSeeds);

    public static FuzzTarget Message { get; } = new(
        "group-message",
        "SenderKeyCipher.Decrypt as a member device holding the fixture sender's chain; never opens a plaintext the fixture did not send.",
        static () => _ = Fixture.Value,
        RunMessage,
        static () => Fixture.Value.MessageSeeds);

    public static FuzzTarget Delivery { get; } = new(
        "group-delivery",
        "GroupDelivery.Decode (what a relay parses); an accepted delivery re-encodes to the same bytes.",
        static () => _ = Fixture.Value,
        static input =>
        {
            var bytes = input.ToArray();
            var delivery = GroupDelivery.Decode(bytes);
            FuzzInvariantException.Check(delivery.Encode().AsSpan().SequenceEqual(bytes), "an accepted delivery does not re-encode to the same bytes");
        },
        static () => Fixture.Value.DeliverySeeds);

    public static IReadOnlyList<FuzzTarget> All { get; } = [RosterEntry, Distribution, Message, Delivery];

    private static void RunRosterEntry(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var bytes = input.ToArray();
        // The prefix is the fixture's own (verified when it was written): its signatures are not checked again,
        // so each execution pays only for the fuzzed entry. That entry gets every check, its signature included.
        var replay = new GroupRosterReplay(fixture.Logs, fixture.Prefix.Count - 1, GroupFixture.Limits, null, Fixtures.Providers);
        foreach (var entry in fixture.Prefix) replay.Apply(entry);
        var accepted = replay.Apply(bytes);
        FuzzInvariantException.Check(fixture.SignedEntries.Contains(SignedContent(accepted)), "accepted a roster entry whose content the fixture never signed (forgery)");
    }

    private static void RunDistribution(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var bytes = input.ToArray();
        var distribution = SenderKeyDistribution.Decode(bytes);
        FuzzInvariantException.Check(distribution.Encode().AsSpan().SequenceEqual(bytes), "an accepted distribution does not re-encode to the same bytes");
        new SenderKeyCipher(fixture.Bob, new InMemorySenderKeyStore()).ProcessDistribution(fixture.Membership, distribution.Sender, bytes);
    }

    private static void RunMessage(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var bytes = input.ToArray();
        var read = new SenderKeyCipher(fixture.Bob, new FixedStore(fixture.BobState)).Decrypt(fixture.Membership, bytes);
        FuzzInvariantException.Check(read.From.Equals(fixture.Alice), "opened a message from a device the fixture did not send from");
        FuzzInvariantException.Check(fixture.Plaintexts.Any(p => p.AsSpan().SequenceEqual(read.Plaintext)), "opened a plaintext the fixture never sent (forgery)");
        FuzzInvariantException.Check(GroupMessage.Decode(bytes).Encode().AsSpan().SequenceEqual(bytes), "an accepted group message does not re-encode to the same bytes");
    }

    private static string SignedContent(GroupRosterEntry entry) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(entry.SignedMessage));

    /// <summary>A store that always hands out the same state and drops writes, so every execution starts alike.</summary>
    private sealed class FixedStore(byte[] state) : ISenderKeyStore
    {
        public byte[]? Load(GroupId group) => (byte[])state.Clone();

        public void Store(GroupId group, byte[] updated)
        {
        }

        public void Delete(GroupId group)
        {
        }
    }

    private sealed class GroupFixture
    {
        public static readonly GroupRosterLimits Limits = new() { MaxEntries = 64, MaxRosterBytes = 1 << 20 };

        public required Dictionary<AccountFingerprint, TrustedDeviceSet> LogsByAccount { get; init; }

        public required IReadOnlyList<byte[]> Prefix { get; init; }

        public required HashSet<string> SignedEntries { get; init; }

        public required SessionAddress Alice { get; init; }

        public required SessionAddress Bob { get; init; }

        public required GroupMembership Membership { get; init; }

        public required byte[] BobState { get; init; }

        public required List<byte[]> Plaintexts { get; init; }

        public required List<FuzzSeed> RosterSeeds { get; init; }

        public required List<FuzzSeed> DistributionSeeds { get; init; }

        public required List<FuzzSeed> MessageSeeds { get; init; }

        public required List<FuzzSeed> DeliverySeeds { get; init; }

        public TrustedDeviceSet? Logs(AccountFingerprint account) => LogsByAccount.GetValueOrDefault(account);

        public static GroupFixture Create()
        {
            var algorithm = SignatureAlgorithm.MlDsa65Ed25519;
            var scheme = Fixtures.Providers.Signature(algorithm);
            PrivateKey Key(byte n) => scheme.ImportPrivateKey(Fixtures.Pattern(algorithm.PrivateKeySize, n), PrivateKeyFormat.Seed);
            var logOptions = new DeviceLogWriterOptions { Time = new FixedTime(), Providers = Fixtures.Providers };
            using var aliceKey = Key(11);
            using var bobKey = Key(12);
            using var carolKey = Key(13);
            var options = new GroupRosterWriterOptions { Time = new FixedTime(), Providers = Fixtures.Providers, Limits = Limits };

            // The logs and the two-entry prefix are fixed bytes (GroupRosterFixtureData), so that entries signed by
            // another process (the seeds) link to this one's roster; without the embedded data they are made here.
            var data = GroupRosterFixtureData.Load() ?? GroupRosterFixtureData.Read(GroupRosterFixtureData.Create(aliceKey, bobKey, carolKey, logOptions, options));
            var states = data.Logs.Select(l => DeviceLogVerifier.Verify(l)).ToList();
            var logs = states.ToDictionary(l => l.Account);
            TrustedDeviceSet? Lookup(AccountFingerprint a) => logs.GetValueOrDefault(a);
            var (aliceAccount, bobAccount, carolAccount) = (states[0].Account, states[1].Account, states[2].Account);
            var prefix = data.Prefix.ToList();
            GroupRosterVerifier.Verify(prefix, Lookup, limits: Limits);
            var alice = new GroupSigner(aliceAccount, "alice-phone", aliceKey);
            var bob = new GroupSigner(bobAccount, "bob-phone", bobKey);

            // Candidate third entries, each made on its own copy of the prefix.
            byte[] Next(GroupSigner signer, Action<GroupRosterWriter> change)
            {
                var w = GroupRosterWriter.Open(prefix, signer, Lookup, options: options);
                change(w);
                return w.Entries[^1];
            }

            byte[] aliceStoreSeed;
            var promote = Next(alice, w => w.Promote(bobAccount));
            var addCarol = Next(alice, w => w.Add(carolAccount));
            var leave = Next(bob, w => w.Leave());
            var removeBob = Next(alice, w => w.Remove(bobAccount));
            var tampered = (byte[])promote.Clone();
            tampered[^9] ^= 0x40;
            var rosterSeeds = new List<FuzzSeed>
            {
                new("promote", promote),
                new("add", addCarol),
                new("leave", leave),
                new("remove", removeBob),
                new("replayed", prefix[1]),
                new("bad-signature", tampered),
            };
            // What the fixture signs, by content: the bodies are deterministic (fixed clock and prefix) while the
            // hedged signatures are not, so entries another process signed for the same changes are just as genuine.
            var signed = new HashSet<string>(new[] { promote, addCarol, leave, removeBob }.Select(e => SignedContent(GroupRosterEncoding.Decode(e, SuitePolicy.Default, 1 << 20))));

            // Sender keys, made deterministic (fixed addresses, chain and Ed25519 key; AES-GCM and Ed25519 are
            // deterministic) so that seeds written by one process are valid in another: alice's device sends to
            // bob's, and bob's state holds alice's chain.
            var group = new GroupId(Fixtures.Pattern(GroupId.Length, 23));
            var aliceAddress = new SessionAddress(new AccountFingerprint(Fixtures.Pattern(32, 21)), "alice-phone");
            var bobAddress = new SessionAddress(new AccountFingerprint(Fixtures.Pattern(32, 22)), "bob-phone");
            var membership = new GroupMembership(group, null, [aliceAddress, bobAddress]);
            var senderOptions = new SenderKeyOptions { Time = new FixedTime(), Providers = Fixtures.Providers };
            var signing = Fixtures.Providers.Signature(SignatureAlgorithm.Ed25519).ImportPrivateKey(Fixtures.Pattern(32, 26), PrivateKeyFormat.Seed);
            var chainId = Fixtures.Pattern(SenderKeyDistribution.ChainIdLength, 24);
            var chainKey = Fixtures.Pattern(32, 25);
            var distribution = new SenderKeyDistribution(SuitePolicy.Default.Preferred.Id, group, aliceAddress, chainId, 0, (byte[])chainKey.Clone(), SignatureAlgorithm.Ed25519, signing.PublicKey).Encode();
            using (var aliceState = new SenderKeyState { Own = new OwnSenderChain(chainId, chainKey, 0, signing, new FixedTime().GetUtcNow(), 0) })
            {
                aliceState.Own.DistributedTo[bobAddress] = 0;
                aliceStoreSeed = aliceState.Serialize();
            }

            var aliceStore = new InMemorySenderKeyStore();
            aliceStore.Store(group, aliceStoreSeed);
            var bobStore = new InMemorySenderKeyStore();
            var aliceCipher = new SenderKeyCipher(aliceAddress, aliceStore, senderOptions);
            var plaintexts = new List<byte[]> { "first group message"u8.ToArray(), "second"u8.ToArray(), Array.Empty<byte>() };
            var sent = plaintexts.Select(p => aliceCipher.Encrypt(membership, p)).ToList();
            new SenderKeyCipher(bobAddress, bobStore, senderOptions).ProcessDistribution(membership, aliceAddress, distribution);
            var badKey = SenderKeyDistribution.Decode(distribution) with { SigningPublicKey = new byte[32] };

            return new GroupFixture
            {
                LogsByAccount = logs,
                Prefix = prefix,
                SignedEntries = signed,
                Alice = aliceAddress,
                Bob = bobAddress,
                Membership = membership,
                BobState = bobStore.Load(group)!,
                Plaintexts = plaintexts,
                RosterSeeds = rosterSeeds,
                DistributionSeeds =
                [
                    new("distribution", distribution),
                    new("zero-signing-key", badKey.Encode()),
                    new("other-group", (SenderKeyDistribution.Decode(distribution) with { GroupId = new GroupId(Fixtures.Pattern(32, 9)) }).Encode()),
                ],
                MessageSeeds = [.. sent.Select((s, i) => new FuzzSeed($"message-{i}", s.Message))],
                DeliverySeeds =
                [
                    new("two-devices", GroupDelivery.For(sent[0].Message, membership.Devices).Encode()),
                    new("one-device", GroupDelivery.For(sent[1].Message, [bobAddress]).Encode()),
                ],
            };
        }
    }

    /// <summary>Writes the fixed logs and prefix of <c>group-roster-entry</c> (<c>--write-group-roster-fixture</c>).</summary>
    public static void WriteRosterFixture(string path)
    {
        var algorithm = SignatureAlgorithm.MlDsa65Ed25519;
        var scheme = Fixtures.Providers.Signature(algorithm);
        PrivateKey Key(byte n) => scheme.ImportPrivateKey(Fixtures.Pattern(algorithm.PrivateKeySize, n), PrivateKeyFormat.Seed);
        using var alice = Key(11);
        using var bob = Key(12);
        using var carol = Key(13);
        File.WriteAllBytes(path, GroupRosterFixtureData.Create(alice, bob, carol,
            new DeviceLogWriterOptions { Time = new FixedTime(), Providers = Fixtures.Providers },
            new GroupRosterWriterOptions { Time = new FixedTime(), Providers = Fixtures.Providers, Limits = GroupFixture.Limits }));
    }

    /// <summary>A clock stopped at 2026-01-01, so timestamps in the seeds are the same on every run.</summary>
    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000);
    }
}
