using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Sessions;
using Enigm.Trust.Accounts;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.States;

namespace Enigm.Messaging.Groups;

/// <summary>
/// The member devices of a group at one roster head: every trusted device, in its account's verified device log,
/// of every member account of a verified roster (DESIGN.md "Messaging": device sets come from verified device
/// logs, never from server data). A revoked device is not in it, so the sender-key rules treat a revocation as a
/// removal. This is also the list of devices a group message is delivered to.
/// </summary>
public sealed class GroupMembership
{
    /// <summary>Most member devices of one group (1,000 members with a few devices each).</summary>
    public const int MaxDevices = 4096;

    private readonly Dictionary<SessionAddress, long> _since;

    /// <summary>A membership of <paramref name="devices"/>, all members since the group began (for callers without a roster).</summary>
    public GroupMembership(GroupId groupId, GroupRosterHead? rosterHead, IEnumerable<SessionAddress> devices)
        : this(groupId, rosterHead, (devices ?? throw new ArgumentNullException(nameof(devices))).Select(d => (d, 0L)))
    {
    }

    /// <param name="devices">Each member device with the roster entry that (last) made its account a member.</param>
    public GroupMembership(GroupId groupId, GroupRosterHead? rosterHead, IEnumerable<(SessionAddress Device, long MemberSince)> devices)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(devices);
        GroupId = groupId;
        RosterHead = rosterHead;
        _since = [];
        foreach (var (device, since) in devices) _since[device] = since;
        if (_since.Count > MaxDevices) throw new ArgumentException($"A group has at most {MaxDevices} member devices.", nameof(devices));
        Devices = [.. _since.Keys.OrderBy(d => d.StoreKey, StringComparer.Ordinal)];
    }

    public GroupId GroupId { get; }

    /// <summary>The roster head this membership was computed at (null when made by hand).</summary>
    public GroupRosterHead? RosterHead { get; }

    /// <summary>Every member device, ordered by account then device id.</summary>
    public IReadOnlyList<SessionAddress> Devices { get; }

    public bool Contains(SessionAddress device) => _since.ContainsKey(device);

    /// <summary>
    /// The roster entry that last made the device's account a member (its create or add entry). A member that was
    /// removed and added again has a new value: sender keys treat it as a new member device (docs/groups.md).
    /// </summary>
    public long MemberSince(SessionAddress device) =>
        _since.TryGetValue(device, out var since) ? since : throw new ArgumentException($"{device} is not a member device.", nameof(device));

    /// <summary>
    /// The member devices of <paramref name="roster"/>: each member account's trusted devices in its verified
    /// device log (<paramref name="memberLogs"/>; a member whose log is unknown contributes none), minus any device
    /// this side marked revoked in <paramref name="deviceStates"/> (named by account hex, as the trust book does).
    /// </summary>
    public static GroupMembership From(GroupRoster roster, Func<AccountFingerprint, TrustedDeviceSet?> memberLogs, IReadOnlyCollection<DeviceTrust>? deviceStates = null)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(memberLogs);
        var revoked = (deviceStates ?? []).Where(d => d.State == TrustState.Revoked).Select(d => (d.Account, d.DeviceId)).ToHashSet();
        var devices = new List<(SessionAddress, long)>();
        foreach (var member in roster.Members)
        {
            var log = memberLogs(member.Account);
            if (log is null || !log.Account.Equals(member.Account)) continue;
            devices.AddRange(log.Devices
                .Where(d => !log.RevokedDevices.Any(r => r.Id == d.Id))
                .Where(d => !revoked.Contains((member.Account.Hex, d.Id)))
                .Select(d => (new SessionAddress(member.Account, d.Id), member.AddedAt)));
        }

        return new GroupMembership(roster.GroupId, roster.Head, devices);
    }
}
