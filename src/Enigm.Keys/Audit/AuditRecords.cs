namespace Enigm.Keys.Audit;

/// <summary>
/// One lifecycle event in the hash-chained audit log. <see cref="Hash"/> commits to
/// <see cref="PreviousHash"/> and to every other field (see <see cref="AuditLog"/> for the formula);
/// <see cref="Time"/> has millisecond precision because the chain hashes it as Unix milliseconds.
/// </summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset Time, string Event, string? KeyId, string Detail, byte[] PreviousHash, byte[] Hash);

/// <summary>
/// A signed statement "the log's entry <see cref="Sequence"/> has chain hash <see cref="Hash"/>", made at
/// <see cref="Time"/> by the key <see cref="SignerKeyId"/>. The verifier only accepts it when that key id
/// is trusted and maps to <see cref="SignerPublicKey"/>.
/// </summary>
public sealed record AuditCheckpoint(long Sequence, byte[] Hash, DateTimeOffset Time, string SignerKeyId, string SignerAlgorithm, byte[] SignerPublicKey, byte[] Signature);

/// <summary>
/// Outcome of <see cref="AuditVerifier.Verify"/>. When <see cref="Ok"/> is false,
/// <see cref="FirstBadPosition"/> is the 1-based position (= expected sequence) of the first entry that
/// cannot be trusted and <see cref="Problem"/> says what was found there.
/// </summary>
public sealed record AuditVerification(bool Ok, long EntriesChecked, long CheckpointsChecked, long? FirstBadPosition, string? Problem)
{
    /// <summary>Entries after the last valid checkpoint: hash-checked, but a rewrite of them would go unnoticed.</summary>
    public long NotYetCheckpointed { get; init; }
}
