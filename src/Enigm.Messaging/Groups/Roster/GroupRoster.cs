using Enigm.Trust.Accounts;

namespace Enigm.Messaging.Groups.Roster;

/// <summary>A member account of a group: since which entry, and whether it is an admin.</summary>
public sealed record GroupMember(AccountFingerprint Account, bool IsAdmin, long AddedAt);

/// <summary>An account that was a member: the entry that ended its membership and whether it left or was removed.</summary>
public sealed record FormerGroupMember(AccountFingerprint Account, long RemovedAt, GroupRosterEntryKind How);

/// <summary>
/// The result of replaying a roster from its create entry: the group, its name, the head, and who is a member
/// (and admin) at the head. Immutable. Which <em>devices</em> a member has comes from the member's verified
/// device log, never from the roster (<see cref="GroupMembership"/>).
/// </summary>
public sealed record GroupRoster(
    GroupId GroupId,
    string Name,
    GroupRosterHead Head,
    ushort SuiteId,
    IReadOnlyList<GroupMember> Members,
    IReadOnlyList<FormerGroupMember> FormerMembers)
{
    public GroupMember? Find(AccountFingerprint account) => Members.FirstOrDefault(m => m.Account.Equals(account));

    public bool IsMember(AccountFingerprint account) => Find(account) is not null;

    public bool IsAdmin(AccountFingerprint account) => Find(account)?.IsAdmin == true;
}
