using System.Globalization;
using System.Security.Cryptography;
using Enigm.Crypto.Providers;
using Enigm.Keys.Audit;
using Enigm.Trust.Policy;

namespace Enigm.Client.Posture;

/// <summary>The last admin audit head a client accepted: the log may only grow from it.</summary>
public sealed record AdminAuditHead(long Sequence, byte[] Hash);

/// <summary>
/// Verifies the relay's admin audit log (docs/policy.md, "What a client can detect"): the chain with Enigm.Keys'
/// <see cref="AuditVerifier"/> (reused, not forked: same entry hash, same break diagnostics), then every entry's action
/// against the pinned organisation key, its binding to the entry (detail = SHA-256 of the action, event and key id from
/// the action, the action's previous-hash = the entry's) and that the log still contains the head accepted before. A
/// relay that invents, edits, drops, reorders or replays an action, or rolls the log back, fails here.
/// </summary>
public static class AdminAuditVerifier
{
    public static IReadOnlyList<AdminAction> Verify(IReadOnlyList<AdminAuditRecord> records, OrganisationKey organisation, AdminAuditHead? accepted = null, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(organisation);
        var entries = records.Select(r => new AuditEntry(r.Sequence, r.Time, r.Event, r.KeyId, r.Detail, r.PreviousHash, r.Hash)).ToList();
        var chain = AuditVerifier.Verify(entries, [], new Dictionary<string, byte[]>(StringComparer.Ordinal), providers ?? CryptoProviders.Default);
        if (!chain.Ok)
            throw new AdminAuditLogInvalidException($"The admin audit log is broken at entry {chain.FirstBadPosition}: {chain.Problem}.");

        if (accepted is not null && accepted.Sequence > 0)
        {
            if (records.Count < accepted.Sequence)
                throw new AdminAuditLogInvalidException($"The admin audit log was rolled back: it ends at entry {records.Count}, but entry {accepted.Sequence} was seen before.");
            if (!CryptographicOperations.FixedTimeEquals(records[(int)accepted.Sequence - 1].Hash, accepted.Hash))
                throw new AdminAuditLogInvalidException($"The admin audit log was rewritten: entry {accepted.Sequence} differs from the one seen before.");
        }

        var actions = new List<AdminAction>(records.Count);
        foreach (var record in records)
        {
            var where = "entry " + record.Sequence.ToString(CultureInfo.InvariantCulture);
            var action = AdminActionEncoding.Verify(record.Action, organisation, providers: providers);
            if (record.Detail != Convert.ToHexStringLower(SHA256.HashData(record.Action)))
                throw new AdminAuditLogInvalidException($"Admin audit {where} does not commit to its action (detail is not the action's SHA-256).");
            if (record.Event != action.EventName || record.KeyId != action.Subject)
                throw new AdminAuditLogInvalidException($"Admin audit {where} says {record.Event} {record.KeyId}, but its signed action is {action.EventName} {action.Subject}.");
            if (!CryptographicOperations.FixedTimeEquals(record.PreviousHash, action.PreviousAuditHash))
                throw new AdminAuditLogInvalidException($"Admin audit {where}: the organisation signed this action on another head (moved or replayed).");
            actions.Add(action);
        }

        return actions;
    }
}
