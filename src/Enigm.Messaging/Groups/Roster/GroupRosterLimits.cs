namespace Enigm.Messaging.Groups.Roster;

/// <summary>
/// Ceilings a member applies before and while replaying a roster; going over any of them is a
/// <see cref="Errors.GroupRosterInvalidException"/>. An entry with one composite signature is about 3.6 KB.
/// </summary>
public sealed record GroupRosterLimits
{
    /// <summary>Largest accepted entry (body plus the largest composite signature, with room to spare).</summary>
    public int MaxEntryBytes { get; init; } = 8 * 1024;

    /// <summary>Most entries in one roster.</summary>
    public int MaxEntries { get; init; } = 4096;

    /// <summary>Most bytes in one roster (all entries together).</summary>
    public long MaxRosterBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Most member accounts at the same time.</summary>
    public int MaxMembers { get; init; } = 1000;

    public static GroupRosterLimits Default { get; } = new();
}
