using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Groups;
using Enigm.Messaging.Groups.Roster;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// <c>group-roster-rules</c>: the membership rules of <see cref="GroupRosterReplay"/> (docs/groups.md, "Verification
/// rules"), reached by mutating the decoded fields of roster entries rather than their signed bytes. The composite
/// signatures are hedged, so signed bytes written by one process never link to another process's roster; here the
/// input is a list of field records, and the harness encodes each one, links it to this process's roster and signs
/// it with the key of the device the record names. Mutations therefore land on the rules: who signs, which kind,
/// about whom, at which sequence, linked to what, in which group, with or without a name.
///
/// Each record is 6 bytes (at most 8 records): signer, kind, subject, sequence, link, flags (see <see cref="Record"/>).
/// Checked on every record:
/// <list type="bullet">
/// <item>rules first, without signatures (a replay that treats the roster as verified): a rejection is typed and leaves
/// the roster as it was;</item>
/// <item>an entry the rules accept is then signed and applied by a replay that checks its signature: it is accepted
/// exactly when the named device is trusted in its account's device log and its key signed (otherwise
/// <see cref="GroupRosterSignatureException"/>, nothing else);</item>
/// <item>an accepted change is the one the kind says, by a member, and by an admin except for leave; the group keeps
/// an admin while it has members (a small model of the rules, independent of the replay's code).</item>
/// </list>
/// The fixture's roster: alice (admin) created it and added bob and carol. Dave has a device log but is no member;
/// mallory has none; bob's second device is revoked.
/// </summary>
internal static class GroupRosterRulesTarget
{
    public const int RecordBytes = 6;
    public const int MaxRecords = 8;

    private static readonly Lazy<RulesFixture> Fixture = new(RulesFixture.Create);

    public static FuzzTarget Target { get; } = new(
        "group-roster-rules",
        "GroupRosterReplay membership rules over entries built from fuzzed fields, linked and signed in-process; rule decisions checked against a model, signature outcome against the device logs.",
        static () => _ = Fixture.Value,
        Run,
        static () => Fixture.Value.Seeds);

    /// <summary>One fuzzed entry, before encoding.</summary>
    /// <param name="Signer">Index into the fixture's signers (modulo their count).</param>
    /// <param name="Kind">Roster entry kind (modulo 8: 0 and 7 are no kind).</param>
    /// <param name="Subject">Index into the fixture's subjects (modulo their count).</param>
    /// <param name="Sequence">0xF8-0xFF: the expected sequence -4..+3; below that, the expected one.</param>
    /// <param name="Link">0xF8: no previous hash; 0xF9-0xFE: the hash of an earlier entry; 0xFF: 32 zero bytes; below: the head's hash.</param>
    /// <param name="Flags">bit 0: carries a group name; bits 6 and 7 both set: another group's id.</param>
    public readonly record struct Record(byte Signer, byte Kind, byte Subject, byte Sequence, byte Link, byte Flags)
    {
        public byte[] Bytes => [Signer, Kind, Subject, Sequence, Link, Flags];
    }

    private static void Run(ReadOnlySpan<byte> input)
    {
        var fixture = Fixture.Value;
        var accepted = new List<byte[]>(fixture.Prefix);
        var rules = fixture.RulesReplay(accepted);
        for (var offset = 0; offset + RecordBytes <= input.Length && offset < RecordBytes * MaxRecords; offset += RecordBytes)
        {
            var r = input.Slice(offset, RecordBytes);
            var record = new Record(r[0], r[1], r[2], r[3], r[4], r[5]);
            var signer = fixture.Signers[record.Signer % fixture.Signers.Count];
            var body = fixture.Body(record, signer, accepted);
            var before = rules.Snapshot();
            try
            {
                rules.Apply(RosterEntries.Encode(body, fixture.Placeholder));
            }
            catch (EnigmException)
            {
                FuzzInvariantException.Check(rules.Snapshot().Head.Equals(before.Head) && SameMembers(rules.Snapshot(), before), "a rejected entry changed the roster");
                continue;
            }

            var after = rules.Snapshot();
            CheckChange(before, after, body);
            var signed = fixture.Sign(body, signer);
            var signatureAccepted = fixture.SignatureOutcome(accepted, signed);
            FuzzInvariantException.Check(signatureAccepted == signer.Valid, signer.Valid
                ? $"refused an entry signed by trusted device {signer.Device} that the rules accept"
                : $"accepted an entry signed by {signer.Device}, which may not sign (forgery)");
            if (signatureAccepted) accepted.Add(signed);
            rules = fixture.RulesReplay(accepted);
        }
    }

    /// <summary>A model of docs/groups.md's rules: what an accepted entry of each kind must have done.</summary>
    private static void CheckChange(GroupRoster before, GroupRoster after, RosterEntries.Fields body)
    {
        var signer = before.Find(body.Signer);
        var subjectBefore = before.Find(body.Subject);
        var subjectAfter = after.Find(body.Subject);
        FuzzInvariantException.Check(signer is not null, "accepted an entry signed by a non-member");
        FuzzInvariantException.Check(body.Kind == GroupRosterEntryKind.Leave || signer!.IsAdmin, $"accepted a {body.Kind} entry by a member who is not an admin");
        FuzzInvariantException.Check(body.Name.Length == 0 && after.Name == before.Name, "accepted a rename");
        FuzzInvariantException.Check(after.Members.Count == 0 || after.Members.Any(m => m.IsAdmin), "the group has members and no admin");
        var expectedCount = before.Members.Count;
        switch (body.Kind)
        {
            case GroupRosterEntryKind.Add:
                FuzzInvariantException.Check(subjectBefore is null && subjectAfter is { IsAdmin: false }, "an add that did not add a new non-admin member");
                expectedCount++;
                break;
            case GroupRosterEntryKind.Remove:
                FuzzInvariantException.Check(subjectBefore is not null && subjectAfter is null && !body.Subject.Equals(body.Signer), "a remove that did not remove another member");
                FuzzInvariantException.Check(after.FormerMembers.Any(f => f.Account.Equals(body.Subject) && f.How == GroupRosterEntryKind.Remove), "a removal not recorded as such");
                expectedCount--;
                break;
            case GroupRosterEntryKind.Leave:
                FuzzInvariantException.Check(body.Subject.Equals(body.Signer) && subjectAfter is null, "a leave that did not remove its signer");
                FuzzInvariantException.Check(!signer!.IsAdmin || before.Members.Count(m => m.IsAdmin) > 1 || before.Members.Count == 1, "the last admin left while others remain");
                expectedCount--;
                break;
            case GroupRosterEntryKind.Promote:
                FuzzInvariantException.Check(subjectBefore is { IsAdmin: false } && subjectAfter is { IsAdmin: true }, "a promote that did not make a member an admin");
                break;
            case GroupRosterEntryKind.Demote:
                FuzzInvariantException.Check(subjectBefore is { IsAdmin: true } && subjectAfter is { IsAdmin: false }, "a demote that did not demote an admin");
                FuzzInvariantException.Check(before.Members.Count(m => m.IsAdmin) > 1, "the last admin was demoted");
                break;
            default:
                throw new FuzzInvariantException($"accepted a {body.Kind} entry after the create entry");
        }

        FuzzInvariantException.Check(after.Members.Count == expectedCount, "the change touched other members");
        FuzzInvariantException.Check(
            after.Members.Where(m => !m.Account.Equals(body.Subject) && !m.Account.Equals(body.Signer)).All(m => before.Find(m.Account) == m),
            "the change touched a member it is not about");
    }

    private static bool SameMembers(GroupRoster a, GroupRoster b) =>
        a.Members.Count == b.Members.Count && a.Members.All(m => b.Find(m.Account) == m);

    /// <summary>Encoding a body with the Messaging encoder (internal to Enigm.Messaging, visible to the harness).</summary>
    internal static class RosterEntries
    {
        public sealed record Fields(GroupId Group, long Sequence, byte[] Previous, GroupRosterEntryKind Kind, AccountFingerprint Signer, string Device, AccountFingerprint Subject, string Name);

        public static ushort Suite => SuitePolicy.Default.Preferred.Id;

        public static byte[] Body(Fields f) => GroupRosterEncoding.EncodeBody(new GroupRosterEncoding.Body(
            f.Group, f.Sequence, f.Previous, f.Kind, DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000), f.Signer, f.Device, f.Subject, f.Name));

        public static byte[] Encode(Fields f, byte[] signature) => GroupRosterEncoding.EncodeEntry(Suite, Body(f), signature);

        public static byte[] SignedMessage(Fields f) => GroupRosterEncoding.SignedMessage(Suite, Body(f));
    }

    /// <summary>A device that may sign a record: <see cref="Valid"/> when its account's log trusts it and its own key signs.</summary>
    private sealed record Signer(AccountFingerprint Account, string Device, PrivateKey Key, bool Valid);

    private sealed class RulesFixture
    {
        private const int MemoCapacity = 50_000;
        private static readonly GroupRosterLimits Limits = new() { MaxEntries = 64, MaxRosterBytes = 1 << 20 };

        // Signing costs milliseconds (composite ML-DSA-65): a signature made for a body is reused (still valid; the
        // entry's bytes, and so the next entry's link, then repeat across executions), and the signature outcome of an
        // entry whose hash was checked before is reused (its hash commits to the whole roster before it).
        private readonly Dictionary<string, byte[]> _signatures = [];
        private readonly Dictionary<string, bool> _outcomes = [];

        public required Dictionary<AccountFingerprint, TrustedDeviceSet> LogsByAccount { get; init; }

        public required IReadOnlyList<byte[]> Prefix { get; init; }

        public required GroupId Group { get; init; }

        public required IReadOnlyList<Signer> Signers { get; init; }

        public required IReadOnlyList<AccountFingerprint> Subjects { get; init; }

        public required byte[] Placeholder { get; init; }

        public required List<FuzzSeed> Seeds { get; init; }

        public TrustedDeviceSet? Logs(AccountFingerprint account) => LogsByAccount.GetValueOrDefault(account);

        /// <summary>A replay of <paramref name="entries"/> that checks every rule but no signature (all count as verified).</summary>
        public GroupRosterReplay RulesReplay(IReadOnlyList<byte[]> entries)
        {
            var replay = new GroupRosterReplay(Logs, long.MaxValue, Limits, null, Fixtures.Providers);
            foreach (var entry in entries) replay.Apply(entry);
            return replay;
        }

        public RosterEntries.Fields Body(Record record, Signer signer, IReadOnlyList<byte[]> accepted)
        {
            var expected = (long)accepted.Count;
            var sequence = record.Sequence >= 0xF8 ? Math.Max(0, expected + record.Sequence - 0xFC) : expected;
            var previous = record.Link switch
            {
                < 0xF8 => SHA256.HashData(accepted[^1]),
                0xF8 => [],
                0xFF => new byte[32],
                _ => SHA256.HashData(accepted[(record.Link - 0xF9) % accepted.Count]),
            };
            var group = (record.Flags & 0xC0) == 0xC0 ? new GroupId(Fixtures.Pattern(GroupId.Length, 99)) : Group;
            var kind = (GroupRosterEntryKind)(record.Kind % 8);
            return new RosterEntries.Fields(group, sequence, previous, kind, signer.Account, signer.Device, Subjects[record.Subject % Subjects.Count], (record.Flags & 1) != 0 ? "renamed" : "");
        }

        public byte[] Sign(RosterEntries.Fields body, Signer signer)
        {
            var key = Convert.ToHexStringLower(SHA256.HashData(RosterEntries.SignedMessage(body))) + signer.Device + signer.Valid;
            if (!_signatures.TryGetValue(key, out var signature))
            {
                if (_signatures.Count >= MemoCapacity / 10) _signatures.Clear();
                signature = Fixtures.Providers.Signature(SignatureAlgorithm.MlDsa65Ed25519).Sign(signer.Key, RosterEntries.SignedMessage(body));
                _signatures[key] = signature;
            }

            return RosterEntries.Encode(body, signature);
        }

        /// <summary>Applies <paramref name="signed"/> after <paramref name="accepted"/> where its signature is checked: accepted, or refused for its signature.</summary>
        public bool SignatureOutcome(IReadOnlyList<byte[]> accepted, byte[] signed)
        {
            var key = Convert.ToHexStringLower(SHA256.HashData(signed));
            if (_outcomes.TryGetValue(key, out var known)) return known;
            var replay = new GroupRosterReplay(Logs, accepted.Count - 1, Limits, null, Fixtures.Providers);
            foreach (var entry in accepted) replay.Apply(entry);
            bool outcome;
            try
            {
                replay.Apply(signed);
                outcome = true;
            }
            catch (GroupRosterSignatureException)
            {
                outcome = false;
            }
            catch (EnigmException e)
            {
                throw new FuzzInvariantException($"the rules accepted an entry that the signature-checking replay refused for another reason: {e.Code}", e);
            }

            if (_outcomes.Count >= MemoCapacity) _outcomes.Clear();
            _outcomes[key] = outcome;
            return outcome;
        }

        public static RulesFixture Create()
        {
            var algorithm = SignatureAlgorithm.MlDsa65Ed25519;
            var scheme = Fixtures.Providers.Signature(algorithm);
            PrivateKey Key(byte n) => scheme.ImportPrivateKey(Fixtures.Pattern(algorithm.PrivateKeySize, n), PrivateKeyFormat.Seed);
            var logOptions = new DeviceLogWriterOptions { Providers = Fixtures.Providers };
            var alice = Key(41);
            var bob = Key(42);
            var bobOld = Key(43);
            var carol = Key(44);
            var dave = Key(45);
            var mallory = Key(46);
            var aliceLog = DeviceLogWriter.CreateGenesis("alice-phone", "Phone", alice, logOptions);
            var bobLog = DeviceLogWriter.CreateGenesis("bob-phone", "Phone", bob, logOptions);
            bobLog.AddDevice("bob-old", "Old phone", bobOld, "bob-phone", bob);
            bobLog.RevokeDevice("bob-old", "lost", "bob-phone", bob);
            var carolLog = DeviceLogWriter.CreateGenesis("carol-phone", "Phone", carol, logOptions);
            var daveLog = DeviceLogWriter.CreateGenesis("dave-phone", "Phone", dave, logOptions);
            var malloryAccount = DeviceLogWriter.CreateGenesis("mallory-phone", "Phone", mallory, logOptions).Account;
            var logs = new[] { aliceLog.State, bobLog.State, carolLog.State, daveLog.State }.ToDictionary(l => l.Account);
            TrustedDeviceSet? Lookup(AccountFingerprint a) => logs.GetValueOrDefault(a);

            var writer = GroupRosterWriter.Create("fuzz group", new GroupSigner(aliceLog.Account, "alice-phone", alice), Lookup,
                new GroupRosterWriterOptions { Providers = Fixtures.Providers, Limits = Limits });
            writer.Add(bobLog.Account);
            writer.Add(carolLog.Account);
            var prefix = writer.Entries.ToList();

            // Signer indexes: 0 alice, 1 bob, 2 carol, 3 dave (no member), 4 bob's revoked device, 5 mallory (no log),
            // 6 "bob-phone" signing with carol's key. Subject indexes: 0 alice, 1 bob, 2 carol, 3 dave, 4 mallory, 5 an unknown account.
            Signer[] signers =
            [
                new(aliceLog.Account, "alice-phone", alice, true),
                new(bobLog.Account, "bob-phone", bob, true),
                new(carolLog.Account, "carol-phone", carol, true),
                new(daveLog.Account, "dave-phone", dave, true),
                new(bobLog.Account, "bob-old", bobOld, false),
                new(malloryAccount, "mallory-phone", mallory, false),
                new(bobLog.Account, "bob-phone", carol, false),
            ];
            AccountFingerprint[] subjects = [aliceLog.Account, bobLog.Account, carolLog.Account, daveLog.Account, malloryAccount, new(Fixtures.Pattern(32, 98))];
            var placeholder = new byte[scheme.Sign(alice, "size"u8).Length];
            return new RulesFixture
            {
                LogsByAccount = logs,
                Prefix = prefix,
                Group = writer.GroupId,
                Signers = signers,
                Subjects = subjects,
                Placeholder = placeholder,
                Seeds = SeedRecords(),
            };
        }

        private static List<FuzzSeed> SeedRecords()
        {
            const byte add = 2, remove = 3, promote = 4, demote = 5, leave = 6;
            static Record R(byte signer, byte kind, byte subject) => new(signer, kind, subject, 0, 0, 0);
            static FuzzSeed Seed(string label, params Record[] records) => new(label, [.. records.SelectMany(r => r.Bytes)]);
            return
            [
                Seed("admin-adds", R(0, add, 3)),
                Seed("promote-then-new-admin-adds-and-demotes", R(0, promote, 1), R(1, add, 3), R(1, demote, 0)),
                Seed("member-leaves-and-is-added-again", R(2, leave, 2), R(0, add, 2)),
                Seed("admin-removes-then-last-admin-leaves", R(0, remove, 1), R(0, remove, 2), R(0, leave, 0)),
                Seed("non-admin-adds", R(1, add, 3)),
                Seed("last-admin-demoted-or-leaves", R(0, demote, 0), R(0, leave, 0)),
                Seed("revoked-device-signs", R(0, promote, 1), R(4, add, 3)),
                Seed("wrong-key-and-no-log", R(0, promote, 1), R(6, add, 3), R(5, leave, 4)),
                Seed("outsider-and-self-removal", R(3, leave, 3), R(0, remove, 0), R(0, add, 1)),
                Seed("fork-gap-link-group-name", new(0, add, 3, 0xFB, 0, 0), new(0, add, 3, 0xFE, 0, 0), new(0, add, 3, 0, 0xF9, 0), new(0, add, 3, 0, 0, 0xC0), new(0, add, 3, 0, 0, 1)),
                Seed("create-again-and-no-kind", new(0, 1, 0, 0, 0, 1), new(0, 0, 3, 0, 0, 0), new(0, 7, 3, 0, 0, 0)),
            ];
        }
    }
}
