namespace Enigm.Keys.Audit;

/// <summary>
/// The audit log's chain step for logs kept outside the key store's SQLite file (the relay's admin audit log, on SQLite
/// or PostgreSQL: docs/policy.md "Admin audit log"): the same entry format and hash as <see cref="AuditLog"/>, so
/// <see cref="AuditVerifier"/> and <see cref="AuditExport"/> check such a log unchanged. Added for issue 14 so the
/// admin audit log reuses this design rather than forking it.
/// </summary>
public static class AuditChainLink
{
    public const int HashSize = AuditFormat.HashSize;

    /// <summary>The previous hash of entry 1: 32 zero bytes.</summary>
    public static byte[] GenesisPreviousHash() => AuditFormat.ZeroHash();

    /// <summary>
    /// The entry that follows <paramref name="head"/> (null for the first entry), with the field rules of
    /// <see cref="AuditLog.Append"/> (<see cref="ArgumentException"/> otherwise). The caller stores it atomically with a
    /// check that the head did not move.
    /// </summary>
    public static AuditEntry Next(AuditEntry? head, DateTimeOffset time, string eventKind, string? keyId, string detail)
    {
        if (AuditFormat.EventProblem(eventKind) is { } e) throw new ArgumentException($"Audit {e}.", nameof(eventKind));
        if (keyId is not null && AuditFormat.TextProblem("key id", keyId, AuditFormat.MaxKeyIdLength, allowEmpty: false) is { } k)
            throw new ArgumentException($"Audit {k}.", nameof(keyId));
        if (AuditFormat.TextProblem("detail", detail, AuditFormat.MaxDetailLength, allowEmpty: true) is { } d)
            throw new ArgumentException($"Audit {d}.", nameof(detail));
        var unixMs = time.ToUnixTimeMilliseconds();
        if (unixMs < 0) throw new ArgumentOutOfRangeException(nameof(time), "Audit times start at the Unix epoch.");
        var sequence = (head?.Sequence ?? 0) + 1;
        var previous = head?.Hash ?? AuditFormat.ZeroHash();
        var hash = AuditFormat.EntryHash(previous, sequence, unixMs, eventKind, keyId, detail)!;
        return new AuditEntry(sequence, AuditFormat.FromUnixMilliseconds(unixMs), eventKind, keyId, detail, [.. previous], hash);
    }
}
