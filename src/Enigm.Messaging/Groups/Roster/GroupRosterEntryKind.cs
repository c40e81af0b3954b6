namespace Enigm.Messaging.Groups.Roster;

/// <summary>What a roster entry changes (docs/groups.md, "Roster"). Values are on the wire; never reuse one.</summary>
public enum GroupRosterEntryKind : byte
{
    /// <summary>Entry 0: names the group; its signer's account becomes the first member and admin.</summary>
    Create = 1,

    /// <summary>An admin adds an account as a (non-admin) member.</summary>
    Add = 2,

    /// <summary>An admin removes another member.</summary>
    Remove = 3,

    /// <summary>An admin makes a member an admin.</summary>
    Promote = 4,

    /// <summary>An admin makes an admin a plain member (at least one admin remains).</summary>
    Demote = 5,

    /// <summary>A member removes itself (the only change a non-admin may sign).</summary>
    Leave = 6,
}
