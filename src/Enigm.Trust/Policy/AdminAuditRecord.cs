namespace Enigm.Trust.Policy;

/// <summary>
/// One entry of the relay's admin audit log as it travels to clients: the Enigm.Keys audit-log entry fields
/// (sequence, time, event, key id, detail, previous hash, hash; docs/keys-audit.md) plus the organisation-signed
/// <see cref="AdminAction"/> it records. <see cref="Detail"/> is the lowercase hex SHA-256 of <see cref="Action"/>, so the
/// chain hash commits to the signed action (the signature itself is too large for an audit detail).
/// </summary>
public sealed record AdminAuditRecord(
    long Sequence,
    DateTimeOffset Time,
    string Event,
    string? KeyId,
    string Detail,
    byte[] PreviousHash,
    byte[] Hash,
    byte[] Action);
