using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Keys.Audit;
using Enigm.Keys.Storage;

namespace Enigm.Keys;

/// <summary>
/// Detects a key row deleted from the store (docs/keys.md, "Deleted rows"). Row MACs only prove that
/// a row present is genuine; a missing row has nothing to fail. Two independent witnesses close that gap:
/// <list type="number">
/// <item>every key id the hash-chained, checkpointed audit log names must still have a row (rows are
/// never deleted by Enigm: destroy keeps the public record), and</item>
/// <item>a key-set commitment, HMAC-SHA-256 under the row-MAC key over the sorted key ids and the audit
/// head, rewritten in every transaction, so that deleting a row together with the tail of the log that
/// names it still fails.</item>
/// </list>
/// Its first write is itself audited (<c>key-set-committed</c>), so removing the commitment is detected as well.
/// What stays undetectable locally is replacing the whole file with an older copy (an external anchor —
/// an exported checkpoint — catches that; docs/keys-audit.md).
/// </summary>
public sealed partial class KeyRing
{
    private const string KeySetSetting = "key_set_mac";
    private const string KeySetEvent = "key-set-committed";

    /// <summary>Rewrites the key-set commitment inside <paramref name="tx"/>, after the transaction's own changes.</summary>
    private void CommitKeySet(IKeyStoreTransaction tx, RowAuthenticator authenticator)
    {
        var ids = tx.KeyIds();
        if (_store.Setting(KeySetSetting) is null)
            tx.AppendAudit(KeySetEvent, null, $"keys={ids.Count}", Now);
        var (sequence, hash) = tx.AuditHead();
        tx.SetSetting(KeySetSetting, Convert.ToBase64String(KeySetMac(authenticator, ids, sequence, hash)));
    }

    /// <summary>Keys missing from the store, with what gives them away; empty when the rows are complete.</summary>
    private List<(string KeyId, string Problem)> CheckKeySet(IReadOnlyList<KeyRow> rows)
    {
        var ids = rows.Select(r => r.Record.Id).ToHashSet(StringComparer.Ordinal);
        var entries = _store.AuditEntries();
        var problems = new List<(string KeyId, string Problem)>();
        foreach (var named in entries.Select(e => e.KeyId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!ids.Contains(named))
                problems.Add((named, "its row was deleted from the store (the audit log records the key)"));
        }

        var stored = _store.Setting(KeySetSetting);
        if (stored is null)
        {
            if (entries.Any(e => e.Event == KeySetEvent))
                problems.Add(("key set", "the key-set commitment was removed from the store"));
            return problems;
        }

        var (sequence, hash) = entries.Count == 0 ? (0L, AuditFormat.ZeroHash()) : (entries[^1].Sequence, entries[^1].Hash);
        var expected = KeySetMac(_rows, [.. ids], sequence, hash);
        var actual = new byte[expected.Length];
        if (!Convert.TryFromBase64String(stored, actual, out var written) || written != expected.Length
            || !CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            problems.Add(("key set", "the key rows no longer match the store's key-set commitment (a row was deleted or added outside Enigm, or the log's tail was cut)"));
        }

        return problems;
    }

    private static byte[] KeySetMac(RowAuthenticator authenticator, IReadOnlyList<string> ids, long auditSequence, byte[] auditHash)
    {
        var w = CanonicalCbor.CreateWriter();
        w.WriteStartArray(ids.Count + 2);
        foreach (var id in ids.Order(StringComparer.Ordinal)) w.WriteTextString(id);
        w.WriteInt64(auditSequence);
        w.WriteByteString(auditHash);
        w.WriteEndArray();
        return authenticator.ComputeSetting(KeySetSetting, Convert.ToBase64String(w.Encode()));
    }
}
