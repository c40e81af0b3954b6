namespace Enigm.Messaging.Groups.Roster;

/// <summary>
/// Where a member device keeps the rosters of its groups and the head it last accepted for each (the
/// server never holds a roster). Implementations persist the bytes as given; the protocol code does no I/O.
/// </summary>
public interface IGroupRosterStore
{
    /// <summary>The stored entries and last accepted head of <paramref name="group"/>, or null when unknown.</summary>
    (IReadOnlyList<byte[]> Entries, GroupRosterHead Head)? Load(GroupId group);

    /// <summary>Replaces the stored roster of <paramref name="group"/> atomically.</summary>
    void Store(GroupId group, IReadOnlyList<byte[]> entries, GroupRosterHead head);

    IReadOnlyList<GroupId> Groups();
}

/// <summary>An in-memory <see cref="IGroupRosterStore"/>, for tests and the in-memory demo.</summary>
public sealed class InMemoryGroupRosterStore : IGroupRosterStore
{
    private readonly Dictionary<GroupId, (byte[][] Entries, GroupRosterHead Head)> _rosters = [];
    private readonly Lock _gate = new();

    public (IReadOnlyList<byte[]> Entries, GroupRosterHead Head)? Load(GroupId group)
    {
        lock (_gate) return _rosters.TryGetValue(group, out var r) ? ([.. r.Entries.Select(e => (byte[])e.Clone())], r.Head) : null;
    }

    public void Store(GroupId group, IReadOnlyList<byte[]> entries, GroupRosterHead head)
    {
        lock (_gate) _rosters[group] = ([.. entries.Select(e => (byte[])e.Clone())], head);
    }

    public IReadOnlyList<GroupId> Groups()
    {
        lock (_gate) return [.. _rosters.Keys];
    }
}

/// <summary>
/// Accepts rosters a member receives (from another member, over a pairwise session) against what it stored
/// before: verified with rollback and fork checks against the stored head, then stored. A roster that fails
/// leaves the store unchanged.
/// </summary>
public sealed class GroupRosterTracker(IGroupRosterStore store, Func<Trust.Accounts.AccountFingerprint, Trust.DeviceLog.TrustedDeviceSet?> memberLogs, GroupRosterLimits? limits = null)
{
    /// <summary>Verifies <paramref name="entries"/> as the roster of <paramref name="group"/> and stores it; returns the roster at its head.</summary>
    public GroupRoster Accept(GroupId group, IReadOnlyList<byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(group);
        var stored = store.Load(group);
        var roster = GroupRosterVerifier.Verify(entries, memberLogs, stored?.Head, group, limits);
        store.Store(group, entries, roster.Head);
        return roster;
    }

    /// <summary>The stored roster of <paramref name="group"/>, verified again (signatures up to its own head are not re-checked), or null.</summary>
    public GroupRoster? Current(GroupId group)
    {
        var stored = store.Load(group);
        return stored is { } s ? GroupRosterVerifier.Verify(s.Entries, memberLogs, s.Head, group, limits) : null;
    }
}
