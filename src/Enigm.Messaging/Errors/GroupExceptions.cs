namespace Enigm.Messaging.Errors;

// Typed failures of groups (docs/groups.md). CLI exit codes 100–107, one per family: scripts can tell a
// forked roster from a rolled-back one, a change by a non-admin, a replayed entry, and a refused message.
// Unparsable bytes are Enigm.Crypto's MalformedInputException (exit 10), as everywhere else.

/// <summary>Base of the roster verification failures; <see cref="Sequence"/> is the first bad entry.</summary>
public abstract class GroupRosterException(string code, long sequence, string message)
    : EnigmException(code, $"Group roster entry {sequence}: {message}")
{
    public long Sequence { get; } = sequence;
}

/// <summary>Two different entries claim one position of the roster: it was forked (exit 100).</summary>
public sealed class GroupRosterForkException(long sequence, string message)
    : GroupRosterException("group-roster-fork", sequence, message);

/// <summary>The roster offered ends before a head this member has already seen (exit 101).</summary>
public sealed class GroupRosterRollbackException(long sequence, string message)
    : GroupRosterException("group-roster-rollback", sequence, message);

/// <summary>A membership change signed by a member who is not an admin, or by a non-member (exit 102).</summary>
public sealed class GroupRosterNotAdminException(long sequence, string message)
    : GroupRosterException("group-roster-not-admin", sequence, message);

/// <summary>An entry already in the roster is presented again (exit 103).</summary>
public sealed class GroupRosterReplayException(long sequence, string message)
    : GroupRosterException("group-roster-replay", sequence, message);

/// <summary>
/// An entry's signature does not verify, or its signing device is not a trusted device of the signing
/// member's verified device log (unknown, revoked, or no verified log known) (exit 104).
/// </summary>
public sealed class GroupRosterSignatureException(long sequence, string message)
    : GroupRosterException("group-roster-signature", sequence, message);

/// <summary>
/// An entry breaks the roster's rules: a gap or broken hash link, a change that does not apply (adding a
/// member twice, removing a non-member, the last admin leaving), or a size limit (exit 105).
/// </summary>
public sealed class GroupRosterInvalidException(long sequence, string message)
    : GroupRosterException("group-roster-invalid", sequence, message);

/// <summary>
/// A sender-key distribution or a group message is refused: it does not authenticate (AEAD tag or sender
/// signature), it is for another group, its chain is unknown or retired, or its sender is not a current
/// member device (exit 106). Nothing is changed.
/// </summary>
public sealed class SenderKeyRejectedException(string message, Exception? inner = null)
    : EnigmException("sender-key-rejected", message, inner);

/// <summary>
/// A group message was already decrypted, is older than what its chain still keeps (including messages sent
/// before this device received the chain), or is further ahead than the chain may skip (exit 107).
/// </summary>
public sealed class GroupMessageReplayException(string message)
    : EnigmException("group-message-replay", message);
