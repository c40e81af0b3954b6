using System.Formats.Cbor;
using Enigm.Client.Errors;
using Enigm.Client.Groups;
using Enigm.Client.State;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Groups;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Groups.SenderKeys;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;

namespace Enigm.Client;

// Groups (issue 15; docs/client.md "Groups"): a signed, hash-linked roster kept by every member (never by the relay),
// sender keys distributed over the pairwise sessions, and one group ciphertext per message stored once by the relay
// for every member device (the multi-recipient submit).
public sealed partial class EnigmClient
{
    private RecordGroupRosterStore? _rosterStore;
    private SenderKeyCipher? _senderKeyCipher;

    private RecordGroupRosterStore Rosters => _rosterStore ??= new RecordGroupRosterStore(_records, RecordNamer.For(_records));

    private SenderKeyCipher SenderKeys => _senderKeyCipher ??= new SenderKeyCipher(
        new SessionAddress(OwnAccount, _device.DeviceId), new RecordSenderKeyStore(_records, RecordNamer.For(_records)), new SenderKeyOptions
        {
            Time = _options.Time,
            RotateAfterMessages = _options.Groups.RotateAfterMessages,
            RotateAfter = _options.Groups.RotateAfter,
        });

    /// <summary>
    /// Creates a group with this account as its first admin and the given members (contact names or account hex), and
    /// sends the signed roster to every member device over its pairwise session.
    /// </summary>
    public Task<GroupSummary> CreateGroupAsync(string name, IReadOnlyList<string> members, CancellationToken cancellation = default) =>
        Serialised(async () =>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            var accounts = await ResolveMembersAsync(members, cancellation);
            var writer = GroupRosterWriter.Create(name, Signer, _tracker.Load);
            foreach (var account in accounts.Where(a => !a.Equals(OwnAccount))) writer.Add(account);
            return await PublishRosterAsync(writer.Entries, writer.Roster, [], cancellation);
        }, cancellation);

    /// <summary>Adds members (admins only); the new members read only what is sent from now on.</summary>
    public Task<GroupSummary> AddGroupMembersAsync(string group, IReadOnlyList<string> members, CancellationToken cancellation = default) =>
        Serialised(async () =>
        {
            var writer = OpenWriter(group);
            foreach (var account in await ResolveMembersAsync(members, cancellation)) writer.Add(account);
            return await PublishRosterAsync(writer.Entries, writer.Roster, [], cancellation);
        }, cancellation);

    /// <summary>Removes a member (admins only): every remaining sender starts a new chain before its next message.</summary>
    public Task<GroupSummary> RemoveGroupMemberAsync(string group, string member, CancellationToken cancellation = default) =>
        Serialised(async () =>
        {
            var writer = OpenWriter(group);
            var account = (await ResolveMembersAsync([member], cancellation))[0];
            writer.Remove(account);
            return await PublishRosterAsync(writer.Entries, writer.Roster, [account], cancellation);
        }, cancellation);

    /// <summary>Leaves the group: the leave entry goes to the others and this device forgets the group's sender keys.</summary>
    public Task<GroupSummary> LeaveGroupAsync(string group, CancellationToken cancellation = default) =>
        Serialised(async () =>
        {
            var writer = OpenWriter(group);
            writer.Leave();
            var summary = await PublishRosterAsync(writer.Entries, writer.Roster, [OwnAccount], cancellation);
            SenderKeys.Forget(writer.GroupId);
            return summary;
        }, cancellation);

    /// <summary>Every group this device knows, by name.</summary>
    public IReadOnlyList<GroupSummary> Groups() =>
        Serialised(() => (IReadOnlyList<GroupSummary>)[.. Rosters.Groups().Select(g => Summary(VerifiedRoster(g))).OrderBy(g => g.Name, StringComparer.Ordinal)]);

    /// <summary>One group by name or id (hex).</summary>
    public GroupSummary Group(string group) => Serialised(() => Summary(FindRoster(group)));

    /// <summary>The group's stored messages (received, and sent by this account's devices), oldest first.</summary>
    public IReadOnlyList<ReceivedMessage> GroupMessages(string group, int limit = 100) =>
        Serialised(() =>
        {
            var roster = FindRoster(group);
            return (IReadOnlyList<ReceivedMessage>)[.. _archive.Latest(MessageArchive.DefaultCapacity).Where(m => m.GroupId == roster.GroupId.Hex).TakeLast(limit)];
        });

    private GroupSigner Signer => new(OwnAccount, _device.DeviceId, _deviceKey);

    private GroupRosterWriter OpenWriter(string group)
    {
        var roster = FindRoster(group);
        var stored = Rosters.Load(roster.GroupId)!.Value;
        return GroupRosterWriter.Open(stored.Entries, Signer, _tracker.Load, stored.Head);
    }

    /// <summary>Stores the roster, then sends it to every member device and to <paramref name="alsoTo"/> (a removed or leaving account).</summary>
    private async Task<GroupSummary> PublishRosterAsync(IReadOnlyList<byte[]> entries, GroupRoster roster, IReadOnlyList<AccountFingerprint> alsoTo, CancellationToken ct)
    {
        // A roster change is a message to every member: a restricted device may not send it (docs/policy.md), and it is
        // checked before the change is stored, so a refused change leaves the roster as it was.
        await EnsureMaySendAsync(ct);
        Rosters.Store(roster.GroupId, entries, roster.Head);
        var body = EncodeEntries(entries);
        await SendControlAsync([OwnAccount, .. roster.Members.Select(m => m.Account), .. alsoTo], ControlKind.GroupRoster, body, null, ct);
        return Summary(roster);
    }

    /// <summary>Contact names or account hex to accounts, each with a verified, pinned device log.</summary>
    private async Task<List<AccountFingerprint>> ResolveMembersAsync(IReadOnlyList<string> members, CancellationToken ct)
    {
        var accounts = new List<AccountFingerprint>();
        foreach (var member in members.Select(m => m.Trim()).Where(m => m.Length > 0))
        {
            var account = _contacts.Find(member) is { } contact ? AccountFingerprint.FromHex(contact.Account)
                : member.Length == 64 && member.All(Uri.IsHexDigit) ? AccountFingerprint.FromHex(member.ToLowerInvariant())
                : throw new ContactNotFoundException(member);
            await PinnedLogAsync(account, ct);
            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>A group by name (this device's view) or id hex; <see cref="ClientStateException"/> when unknown or ambiguous.</summary>
    private GroupRoster FindRoster(string group)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        var rosters = Rosters.Groups().Select(VerifiedRoster).ToList();
        var byId = rosters.Where(r => r.GroupId.Hex.StartsWith(group.ToLowerInvariant(), StringComparison.Ordinal) && group.Length >= 8).ToList();
        var byName = rosters.Where(r => r.Name == group).ToList();
        var matches = byName.Count > 0 ? byName : byId;
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ClientStateException($"No group named '{group}' on this device."),
            _ => throw new ClientStateException($"Several groups are named '{group}'; name one by its id ({string.Join(", ", matches.Select(m => m.GroupId.Hex[..12]))}…)."),
        };
    }

    /// <summary>The stored roster replayed; entries up to the accepted head are bound by the hash chain (not re-signed-checked).</summary>
    private GroupRoster VerifiedRoster(GroupId group)
    {
        var stored = Rosters.Load(group) ?? throw new ClientStateException($"Group {group.Hex[..12]}… has no stored roster.");
        return GroupRosterVerifier.Verify(stored.Entries, _tracker.Load, stored.Head, group);
    }

    private GroupSummary Summary(GroupRoster roster) =>
        new(roster.Name, roster.GroupId.Hex,
            [.. roster.Members.Select(m => new GroupMemberSummary(m.Account.Hex, _contacts.ByAccount(m.Account.Hex)?.Name, m.IsAdmin, m.Account.Equals(OwnAccount),
                _tracker.Load(m.Account)?.Devices.Count(d => !(_tracker.Load(m.Account)!.RevokedDevices.Any(r => r.Id == d.Id))) ?? 0))],
            roster.IsMember(OwnAccount), roster.Head.Sequence + 1);

    private GroupMembership Membership(GroupRoster roster) => GroupMembership.From(roster, _tracker.Load, _trustStore.Devices());

    private static byte[] EncodeEntries(IReadOnlyList<byte[]> entries)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(entries.Count);
        foreach (var entry in entries) writer.WriteByteString(entry);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static List<byte[]> DecodeEntries(byte[] body) =>
        CanonicalCbor.Decode(body, ControlContent.MaxBodyBytes, reader =>
        {
            var count = reader.ReadStartArray() ?? throw new Crypto.Errors.MalformedInputException("A roster is a definite-length array.");
            if (count is < 1 or > 4096) throw new Crypto.Errors.MalformedInputException("A roster holds 1 to 4096 entries.");
            var entries = new List<byte[]>(count);
            for (var i = 0; i < count; i++) entries.Add(CanonicalCbor.ReadBytes(reader, GroupRosterLimits.Default.MaxEntryBytes));
            reader.ReadEndArray();
            return entries;
        });

    private static readonly SuitePolicy RosterPolicy = SuitePolicy.Default;
}
