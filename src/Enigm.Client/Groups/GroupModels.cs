namespace Enigm.Client;

/// <summary>A group as this device knows it from its verified roster.</summary>
/// <param name="Name">The name its creator gave it.</param>
/// <param name="GroupId">The group's id, 64 lowercase hex characters.</param>
/// <param name="Members">The member accounts at the roster's head.</param>
/// <param name="IsMember">False once this account left or was removed (nothing new can be read or sent).</param>
/// <param name="RosterEntries">How many roster entries (changes) this device verified.</param>
public sealed record GroupSummary(string Name, string GroupId, IReadOnlyList<GroupMemberSummary> Members, bool IsMember, long RosterEntries);

/// <summary>One member account of a group.</summary>
/// <param name="Account">The account fingerprint, hex.</param>
/// <param name="Contact">Its local contact name, or null when it is not a contact (or is this account).</param>
/// <param name="IsAdmin">True for an admin (may add and remove members).</param>
/// <param name="IsSelf">True for this device's own account.</param>
/// <param name="Devices">Its trusted devices in its verified device log (the devices a group message goes to).</param>
public sealed record GroupMemberSummary(string Account, string? Contact, bool IsAdmin, bool IsSelf, int Devices);

/// <summary>What one group send did.</summary>
/// <param name="MessageId">The message id, hex.</param>
/// <param name="Devices">Member devices the relay stored the one ciphertext for.</param>
/// <param name="SharedBytes">Size of the one group ciphertext uploaded (stored once by the relay).</param>
/// <param name="NewChain">True when this send started a new sender-key chain (first send, a removal or revocation, or periodic rotation).</param>
/// <param name="Rotation">Why the chain changed (None, First, MembershipChanged, Periodic).</param>
/// <param name="DistributedTo">Member devices the chain was sent to over their pairwise sessions first.</param>
public sealed record GroupSendSummary(string MessageId, int Devices, int SharedBytes, bool NewChain, string Rotation, int DistributedTo);
