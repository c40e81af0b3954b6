using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Crypto.Suites;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;

namespace Enigm.Messaging.Groups.Roster;

/// <summary>Who signs roster entries: a member account's device and its composite device key (the key its device log holds now).</summary>
public sealed record GroupSigner(AccountFingerprint Account, string DeviceId, PrivateKey DeviceKey)
{
    public override string ToString() => $"GroupSigner({Account.Hex[..16]}…/{DeviceId})";
}

/// <summary>Options of a <see cref="GroupRosterWriter"/>; the defaults are production values.</summary>
public sealed record GroupRosterWriterOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public SuitePolicy Policy { get; init; } = SuitePolicy.Default;

    public CryptoProviders Providers { get; init; } = CryptoProviders.Default;

    public GroupRosterLimits Limits { get; init; } = GroupRosterLimits.Default;
}

/// <summary>
/// Makes roster entries for one member device: create a group, then add, remove, promote, demote, leave.
/// Every entry it signs is applied to its own replay first, so it never produces an entry that the other
/// members' verifiers reject; a refused change throws that same typed error and appends nothing.
/// </summary>
public sealed class GroupRosterWriter
{
    private readonly List<byte[]> _entries;
    private readonly GroupRosterReplay _replay;
    private readonly GroupSigner _signer;
    private readonly GroupRosterWriterOptions _options;

    private GroupRosterWriter(List<byte[]> entries, GroupRosterReplay replay, GroupSigner signer, GroupRosterWriterOptions options)
    {
        _entries = entries;
        _replay = replay;
        _signer = signer;
        _options = options;
    }

    /// <summary>Every entry, create entry first.</summary>
    public IReadOnlyList<byte[]> Entries => _entries;

    /// <summary>The roster at the head.</summary>
    public GroupRoster Roster => _replay.Snapshot();

    public GroupId GroupId => Roster.GroupId;

    /// <summary>Creates a new group named <paramref name="name"/>, with a fresh random id, whose first member and admin is the signer.</summary>
    public static GroupRosterWriter Create(string name, GroupSigner signer, Func<AccountFingerprint, TrustedDeviceSet?> memberLogs, GroupRosterWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(signer);
        options ??= new GroupRosterWriterOptions();
        var writer = new GroupRosterWriter([], new GroupRosterReplay(memberLogs, options.Limits, options.Policy, options.Providers), signer, options);
        writer.Append(GroupId.New(), GroupRosterEntryKind.Create, signer.Account, name);
        return writer;
    }

    /// <summary>Continues a stored roster, verified first (with rollback and fork checks against <paramref name="lastSeen"/>).</summary>
    public static GroupRosterWriter Open(IReadOnlyList<byte[]> entries, GroupSigner signer, Func<AccountFingerprint, TrustedDeviceSet?> memberLogs, GroupRosterHead? lastSeen = null, GroupRosterWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        options ??= new GroupRosterWriterOptions();
        var replay = GroupRosterVerifier.Replay(entries, memberLogs, lastSeen, options.Limits, options.Policy, options.Providers);
        return new GroupRosterWriter([.. entries], replay, signer, options);
    }

    public byte[] Add(AccountFingerprint account) => Append(GroupId, GroupRosterEntryKind.Add, account, "");

    public byte[] Remove(AccountFingerprint account) => Append(GroupId, GroupRosterEntryKind.Remove, account, "");

    public byte[] Promote(AccountFingerprint account) => Append(GroupId, GroupRosterEntryKind.Promote, account, "");

    public byte[] Demote(AccountFingerprint account) => Append(GroupId, GroupRosterEntryKind.Demote, account, "");

    public byte[] Leave() => Append(GroupId, GroupRosterEntryKind.Leave, _signer.Account, "");

    private byte[] Append(GroupId group, GroupRosterEntryKind kind, AccountFingerprint subject, string name)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (_signer.DeviceKey.Algorithm is not SignatureAlgorithm algorithm)
            throw new ArgumentException($"{_signer.DeviceKey.Algorithm.Name} is not a signature key.", nameof(subject));
        var suite = _options.Policy.Preferred;
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(_options.Time.GetUtcNow().ToUnixTimeMilliseconds());
        var previous = _replay.Head is { } head ? head.Hash.ToArray() : [];
        var body = GroupRosterEncoding.EncodeBody(new GroupRosterEncoding.Body(
            group, _replay.Count, previous, kind, timestamp, _signer.Account, _signer.DeviceId, subject, name));
        var signature = _options.Providers.Signature(algorithm).Sign(_signer.DeviceKey, GroupRosterEncoding.SignedMessage(suite.Id, body));
        var entry = GroupRosterEncoding.EncodeEntry(suite.Id, body, signature);
        _replay.Apply(entry);
        _entries.Add(entry);
        return entry;
    }
}
