using System.Security.Cryptography;

namespace Enigm.Trust.DeviceLog;

/// <summary>One signature on an entry: who signed (a device or recovery-key id) and the signature bytes.</summary>
public sealed record DeviceLogSignature(string SignerId, byte[] Signature);

/// <summary>
/// A decoded device-log entry (docs/trust-device-log.md, "Entry format"). Decoding checks structure only;
/// <see cref="DeviceLogReplay"/> decides whether the entry is valid at its place in a log. The subject is
/// the device or recovery key the entry is about; fields a kind does not use are empty.
/// </summary>
public sealed class DeviceLogEntry
{
    internal DeviceLogEntry(
        ushort suiteId,
        long sequence,
        byte[] previousHash,
        DeviceLogEntryKind kind,
        DateTimeOffset timestamp,
        string subjectId,
        string subjectName,
        byte[] subjectPublicKey,
        string reason,
        IReadOnlyList<DeviceLogSignature> signatures,
        byte[] body,
        byte[] signedMessage,
        byte[] encoded)
    {
        SuiteId = suiteId;
        Sequence = sequence;
        PreviousHash = previousHash;
        Kind = kind;
        Timestamp = timestamp;
        SubjectId = subjectId;
        SubjectName = subjectName;
        SubjectPublicKey = subjectPublicKey;
        Reason = reason;
        Signatures = signatures;
        Body = body;
        SignedMessage = signedMessage;
        Encoded = encoded;
        Hash = SHA256.HashData(encoded);
    }

    public ushort SuiteId { get; }

    public long Sequence { get; }

    /// <summary>SHA-256 of the previous encoded entry; empty for the genesis entry.</summary>
    public byte[] PreviousHash { get; }

    public DeviceLogEntryKind Kind { get; }

    /// <summary>When the writer made the entry (its own clock; informative, not checked against time).</summary>
    public DateTimeOffset Timestamp { get; }

    public string SubjectId { get; }

    /// <summary>Device name (genesis, add-device) or recovery-key label; empty otherwise.</summary>
    public string SubjectName { get; }

    /// <summary>The subject's public key as an encoded <c>CryptoObject</c> (genesis, add, rotate, add-recovery); empty otherwise.</summary>
    public byte[] SubjectPublicKey { get; }

    /// <summary>Why (revocations); empty otherwise.</summary>
    public string Reason { get; }

    public IReadOnlyList<DeviceLogSignature> Signatures { get; }

    /// <summary>The encoded body (the bytes between header and signatures).</summary>
    internal byte[] Body { get; }

    /// <summary>What every signature covers: domain label ‖ binary header ‖ body.</summary>
    internal byte[] SignedMessage { get; }

    /// <summary>The entry exactly as received.</summary>
    public byte[] Encoded { get; }

    /// <summary>SHA-256 of <see cref="Encoded"/>: the next entry's previous hash and, for genesis, the account fingerprint.</summary>
    public byte[] Hash { get; }
}
