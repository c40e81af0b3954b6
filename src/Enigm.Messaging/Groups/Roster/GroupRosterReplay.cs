using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Groups.Roster;

/// <summary>
/// The roster state machine (docs/groups.md, "Verification rules"), applied as the device log's replay is
/// (docs/trust-device-log.md): entries one at a time from the create entry; each rule is a named check, and
/// the first failure throws its typed error and leaves the state as it was before that entry. No I/O.
/// Signatures are checked against the signer device's current key in the signer account's verified device
/// log (<paramref name="memberLogs"/>): trust comes from device logs, never from the roster itself.
/// </summary>
public sealed class GroupRosterReplay
{
    private readonly Func<AccountFingerprint, TrustedDeviceSet?> _memberLogs;
    private readonly long _verifiedPrefix;
    private readonly GroupRosterLimits _limits;
    private readonly SuitePolicy _policy;
    private readonly CryptoProviders _providers;
    private readonly Dictionary<AccountFingerprint, GroupMember> _members = [];
    private readonly List<FormerGroupMember> _former = [];
    private readonly List<byte[]> _hashes = [];
    private GroupId? _groupId;
    private string _name = "";
    private long _bytes;
    private ushort _suiteId;

    /// <param name="memberLogs">The verified device log of an account, or null when none is known.</param>
    public GroupRosterReplay(Func<AccountFingerprint, TrustedDeviceSet?> memberLogs, GroupRosterLimits? limits = null, SuitePolicy? policy = null, CryptoProviders? providers = null)
        : this(memberLogs, -1, limits, policy, providers)
    {
    }

    /// <param name="verifiedPrefix">
    /// Entries up to this sequence hash-chain to a head this member verified before (the caller checked that
    /// head's hash first, <see cref="GroupRosterVerifier.CheckAgainstLastSeen"/>): their rules are applied again
    /// but their signatures are not, so a signer since revoked or rotated in its device log does not break history.
    /// </param>
    internal GroupRosterReplay(Func<AccountFingerprint, TrustedDeviceSet?> memberLogs, long verifiedPrefix, GroupRosterLimits? limits, SuitePolicy? policy, CryptoProviders? providers)
    {
        _memberLogs = memberLogs ?? throw new ArgumentNullException(nameof(memberLogs));
        _verifiedPrefix = verifiedPrefix;
        _limits = limits ?? GroupRosterLimits.Default;
        _policy = policy ?? SuitePolicy.Default;
        _providers = providers ?? CryptoProviders.Default;
    }

    /// <summary>How many entries have been accepted; the sequence the next entry must carry.</summary>
    public long Count => _hashes.Count;

    public GroupRosterHead? Head => Count == 0 ? null : new GroupRosterHead(Count - 1, _hashes[^1]);

    /// <summary>Checks <paramref name="encoded"/> as the next entry and, if every rule holds, applies it.</summary>
    public GroupRosterEntry Apply(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var sequence = Count;
        CheckSize(sequence, encoded.Length);
        var entry = Decode(sequence, encoded);
        CheckLink(sequence, entry);
        var suite = _policy.Require(entry.SuiteId, SuiteRegistry.Get(entry.SuiteId).DeviceSignature);
        var change = CheckRules(entry);
        if (sequence > _verifiedPrefix) VerifySignature(entry, suite);

        change();
        if (sequence == 0)
        {
            _groupId = entry.GroupId;
            _name = entry.GroupName;
        }

        _hashes.Add(entry.Hash);
        _bytes += encoded.Length;
        _suiteId = entry.SuiteId;
        return entry;
    }

    /// <summary>The roster at the current head (requires an accepted create entry).</summary>
    public GroupRoster Snapshot()
    {
        if (_groupId is null || Head is not { } head) throw new InvalidOperationException("No create entry has been applied.");
        return new GroupRoster(_groupId, _name, head, _suiteId, [.. _members.Values.OrderBy(m => m.AddedAt)], [.. _former]);
    }

    private void CheckSize(long sequence, int length)
    {
        if (sequence >= _limits.MaxEntries)
            throw new GroupRosterInvalidException(sequence, $"the roster has more than {_limits.MaxEntries} entries");
        if (length > _limits.MaxEntryBytes)
            throw new GroupRosterInvalidException(sequence, $"the entry has {length} bytes, over the {_limits.MaxEntryBytes}-byte limit");
        if (_bytes + length > _limits.MaxRosterBytes)
            throw new GroupRosterInvalidException(sequence, $"the roster is over the {_limits.MaxRosterBytes}-byte limit");
    }

    private GroupRosterEntry Decode(long sequence, byte[] encoded)
    {
        try
        {
            return GroupRosterEncoding.Decode(encoded, _policy, _limits.MaxEntryBytes);
        }
        catch (MalformedInputException e)
        {
            throw new MalformedInputException($"Group roster entry {sequence}: {e.Message}", e);
        }
    }

    // Hash chain: entry n carries sequence n and the SHA-256 of entry n-1; only entry 0 creates the group.
    private void CheckLink(long sequence, GroupRosterEntry entry)
    {
        if (entry.Sequence < sequence)
        {
            // A position already taken: the same entry again is a replay, another one a fork.
            if (entry.Hash.AsSpan().SequenceEqual(_hashes[(int)entry.Sequence]))
                throw new GroupRosterReplayException(entry.Sequence, $"this entry was already applied (presented again where entry {sequence} belongs)");
            throw new GroupRosterForkException(entry.Sequence, "another entry was already accepted at this position");
        }

        if (entry.Sequence > sequence)
            throw new GroupRosterInvalidException(sequence, $"carries sequence {entry.Sequence}; expected {sequence} (a gap)");
        var previous = sequence == 0 ? [] : _hashes[^1];
        if (!entry.PreviousHash.AsSpan().SequenceEqual(previous))
            throw new GroupRosterInvalidException(sequence, sequence == 0 ? "a create entry has no previous hash" : "its previous hash is not the hash of the entry before it");
        if ((sequence == 0) != (entry.Kind == GroupRosterEntryKind.Create))
            throw new GroupRosterInvalidException(sequence, sequence == 0 ? $"a roster starts with a create entry, not {entry.Kind}" : "a second create entry");
        if (_groupId is not null && !_groupId.Equals(entry.GroupId))
            throw new GroupRosterInvalidException(sequence, $"the entry belongs to group {entry.GroupId.Hex[..16]}…, not {_groupId.Hex[..16]}…");
    }

    /// <summary>The membership rules of each kind; returns the change to apply once the signature is checked too.</summary>
    private Action CheckRules(GroupRosterEntry entry)
    {
        var sequence = entry.Sequence;
        if ((entry.Kind == GroupRosterEntryKind.Create) != (entry.GroupName.Length != 0))
            throw new GroupRosterInvalidException(sequence, entry.Kind == GroupRosterEntryKind.Create ? "a create entry names the group" : $"a {entry.Kind} entry carries no group name");
        if (entry.Kind == GroupRosterEntryKind.Create)
        {
            RequireSelf(entry);
            return () => _members[entry.Subject] = new GroupMember(entry.Subject, IsAdmin: true, sequence);
        }

        if (!_members.TryGetValue(entry.SignerAccount, out var signer))
            throw new GroupRosterNotAdminException(sequence, $"signed by account {entry.SignerAccount.Hex[..16]}…, which is not a member");
        if (entry.Kind == GroupRosterEntryKind.Leave)
        {
            RequireSelf(entry);
            if (signer.IsAdmin && AdminCount() == 1 && _members.Count > 1)
                throw new GroupRosterInvalidException(sequence, "the last admin cannot leave while other members remain; promote another admin first");
            return () => RemoveMember(entry);
        }

        // Every other change is an admin's.
        if (!signer.IsAdmin)
            throw new GroupRosterNotAdminException(sequence, $"a {entry.Kind} entry signed by {entry.SignerAccount.Hex[..16]}…, a member who is not an admin");
        _members.TryGetValue(entry.Subject, out var subject);
        switch (entry.Kind)
        {
            case GroupRosterEntryKind.Add:
                if (subject is not null) throw new GroupRosterInvalidException(sequence, "the account added is already a member");
                if (_members.Count >= _limits.MaxMembers) throw new GroupRosterInvalidException(sequence, $"the group would have more than {_limits.MaxMembers} members");
                return () => _members[entry.Subject] = new GroupMember(entry.Subject, IsAdmin: false, sequence);
            case GroupRosterEntryKind.Remove:
                if (subject is null) throw new GroupRosterInvalidException(sequence, "the account removed is not a member");
                if (entry.Subject.Equals(entry.SignerAccount)) throw new GroupRosterInvalidException(sequence, "a member removes itself with a leave entry");
                return () => RemoveMember(entry);
            case GroupRosterEntryKind.Promote:
                if (subject is null || subject.IsAdmin) throw new GroupRosterInvalidException(sequence, "only a member who is not an admin can be promoted");
                return () => _members[entry.Subject] = subject with { IsAdmin = true };
            case GroupRosterEntryKind.Demote:
                if (subject is null || !subject.IsAdmin) throw new GroupRosterInvalidException(sequence, "only an admin can be demoted");
                if (AdminCount() == 1) throw new GroupRosterInvalidException(sequence, "the last admin cannot be demoted");
                return () => _members[entry.Subject] = subject with { IsAdmin = false };
            default:
                throw new GroupRosterInvalidException(sequence, $"unknown kind {entry.Kind}");
        }
    }

    private void RemoveMember(GroupRosterEntry entry)
    {
        _members.Remove(entry.Subject);
        _former.Add(new FormerGroupMember(entry.Subject, entry.Sequence, entry.Kind));
    }

    private int AdminCount() => _members.Values.Count(m => m.IsAdmin);

    private static void RequireSelf(GroupRosterEntry entry)
    {
        if (!entry.Subject.Equals(entry.SignerAccount))
            throw new GroupRosterInvalidException(entry.Sequence, $"a {entry.Kind} entry is about its signer's own account");
    }

    /// <summary>The signer device must be trusted now by its account's verified device log, and its current composite key must have signed.</summary>
    private void VerifySignature(GroupRosterEntry entry, Suite suite)
    {
        var sequence = entry.Sequence;
        var log = _memberLogs(entry.SignerAccount);
        if (log is null || !log.Account.Equals(entry.SignerAccount))
            throw new GroupRosterSignatureException(sequence, $"no verified device log is known for the signing account {entry.SignerAccount.Hex[..16]}…");
        if (log.RevokedDevices.Any(d => d.Id == entry.SignerDevice))
            throw new GroupRosterSignatureException(sequence, $"signed by device '{entry.SignerDevice}', which its account's device log revoked");
        var device = log.Find(entry.SignerDevice)
            ?? throw new GroupRosterSignatureException(sequence, $"signed by device '{entry.SignerDevice}', which its account's device log does not list");
        var key = CryptoObject.Decode(device.PublicKey, ObjectType.PublicKey, _policy);
        if (key.Algorithm is not SignatureAlgorithm algorithm || algorithm != suite.DeviceSignature)
            throw new GroupRosterSignatureException(sequence, $"device '{device.Id}' holds a {key.Algorithm.Name} key; {suite} roster entries are signed with {suite.DeviceSignature.Name}");
        bool valid;
        try
        {
            valid = _providers.Signature(algorithm).Verify(key.Value, entry.SignedMessage, entry.Signature);
        }
        catch (InvalidKeyException e)
        {
            throw new GroupRosterSignatureException(sequence, $"the key of device '{device.Id}' cannot be used: {e.Message}");
        }

        if (!valid)
            throw new GroupRosterSignatureException(sequence, $"the signature by device '{device.Id}' does not verify with its current key");
    }
}
