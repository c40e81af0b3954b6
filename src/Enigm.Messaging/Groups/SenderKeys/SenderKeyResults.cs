using Enigm.Messaging.Sessions;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>Why a send started a new chain.</summary>
public enum SenderKeyRotation
{
    /// <summary>The current chain was used.</summary>
    None,

    /// <summary>This device had no chain in the group yet.</summary>
    FirstChain,

    /// <summary>A device the chain was given to is no longer a member device (removed member, removed or revoked device).</summary>
    MembershipShrank,

    /// <summary>The chain reached its message count or age (<see cref="SenderKeyOptions"/>).</summary>
    Periodic,

    /// <summary>This device's account left or was removed, and was added again: the members dropped its old chain.</summary>
    Rejoined,
}

/// <summary>
/// One group send. The caller first sends <see cref="Distribution"/> (when not null) to every device of
/// <see cref="DistributeTo"/> over its pairwise session, then hands <see cref="Message"/> to the relay once, for
/// every device of <see cref="Recipients"/>.
/// </summary>
/// <param name="Message">The encoded <see cref="GroupMessage"/>: one ciphertext for every member device.</param>
/// <param name="Distribution">The encoded <see cref="SenderKeyDistribution"/> of the chain the message is on, or null when every member device has it.</param>
/// <param name="DistributeTo">Member devices that do not have this chain yet (all others when it is new; a new member device otherwise).</param>
/// <param name="Recipients">Every member device but this one.</param>
public sealed record GroupSendResult(
    byte[] Message,
    byte[]? Distribution,
    IReadOnlyList<SessionAddress> DistributeTo,
    IReadOnlyList<SessionAddress> Recipients,
    SenderKeyRotation Rotation);

/// <summary>A decrypted group message and the member device whose chain it came on.</summary>
public sealed record GroupDecryptedMessage(SessionAddress From, byte[] Plaintext);
