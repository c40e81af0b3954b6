using System.Security.Cryptography;
using Enigm.Trust.Accounts;

namespace Enigm.Messaging.Groups.Roster;

/// <summary>
/// A decoded roster entry (docs/groups.md, "Roster entry"). Decoding checks structure only;
/// <see cref="GroupRosterReplay"/> decides whether the entry is valid at its place in a roster.
/// </summary>
public sealed class GroupRosterEntry
{
    internal GroupRosterEntry(ushort suiteId, GroupRosterEncoding.Body body, byte[] signature, byte[] signedMessage, byte[] encoded)
    {
        SuiteId = suiteId;
        GroupId = body.GroupId;
        Sequence = body.Sequence;
        PreviousHash = body.PreviousHash;
        Kind = body.Kind;
        Timestamp = body.Timestamp;
        SignerAccount = body.SignerAccount;
        SignerDevice = body.SignerDevice;
        Subject = body.Subject;
        GroupName = body.GroupName;
        Signature = signature;
        SignedMessage = signedMessage;
        Encoded = encoded;
        Hash = SHA256.HashData(encoded);
    }

    public ushort SuiteId { get; }

    public GroupId GroupId { get; }

    public long Sequence { get; }

    /// <summary>SHA-256 of the previous encoded entry; empty for the create entry.</summary>
    public byte[] PreviousHash { get; }

    public GroupRosterEntryKind Kind { get; }

    /// <summary>The writer's clock (informative; never checked against time).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The member account that made the change.</summary>
    public AccountFingerprint SignerAccount { get; }

    /// <summary>The device of <see cref="SignerAccount"/> whose composite key signed the entry.</summary>
    public string SignerDevice { get; }

    /// <summary>The account the change is about (for create and leave: the signer's own account).</summary>
    public AccountFingerprint Subject { get; }

    /// <summary>The group's name (create only; empty otherwise).</summary>
    public string GroupName { get; }

    public byte[] Signature { get; }

    /// <summary>What the signature covers: domain label ‖ binary header ‖ body.</summary>
    internal byte[] SignedMessage { get; }

    /// <summary>The entry exactly as received.</summary>
    public byte[] Encoded { get; }

    /// <summary>SHA-256 of <see cref="Encoded"/>: the next entry's previous hash.</summary>
    public byte[] Hash { get; }
}

/// <summary>The newest entry of a roster as a member saw it: remembering it lets a later check detect a rollback or a fork.</summary>
public sealed record GroupRosterHead
{
    public const int HashLength = 32;

    private readonly byte[] _hash;

    public GroupRosterHead(long sequence, ReadOnlySpan<byte> hash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (hash.Length != HashLength) throw new ArgumentException($"A head hash is {HashLength} bytes.", nameof(hash));
        Sequence = sequence;
        _hash = hash.ToArray();
    }

    public long Sequence { get; }

    public ReadOnlySpan<byte> Hash => _hash;

    public string HashHex => Convert.ToHexStringLower(_hash);

    public bool Equals(GroupRosterHead? other) => other is not null && Sequence == other.Sequence && _hash.AsSpan().SequenceEqual(other._hash);

    public override int GetHashCode() => HashCode.Combine(Sequence, BitConverter.ToInt32(_hash, 0));

    public override string ToString() => $"{Sequence}:{HashHex}";
}
