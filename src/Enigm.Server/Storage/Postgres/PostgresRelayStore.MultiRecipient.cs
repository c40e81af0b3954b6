using Enigm.Relay;
using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

// Multi-recipient submits in one transaction of two round trips: (1) lock every recipient's depth row in (account,
// device) order (so concurrent submits cannot deadlock) and store the payload; (2) insert one row per device naming it,
// ON CONFLICT DO NOTHING and check the depths. A payload no new row names (a retried submit) is deleted in a third
// statement before commit. Every node is told after the commit (PostgresRelayStore.Signal).
public sealed partial class PostgresRelayStore
{
    public async Task<int> EnqueueSharedAsync(byte[] messageId, byte[] shared, IReadOnlyList<RecipientDevice> recipients, DateTimeOffset now, CancellationToken ct = default)
    {
        var stored = await TransactAsync(async (c, tx) =>
        {
            if (recipients.Count == 0) return 0;
            var ordered = recipients.OrderBy(r => r.Account, StringComparer.Ordinal).ThenBy(r => r.Device, StringComparer.Ordinal).ToArray();
            var accounts = ordered.Select(r => r.Account).ToArray();
            var devices = ordered.Select(r => r.Device).ToArray();
            var parts = ordered.Select(r => r.Part ?? []).ToArray();

            long payload;
            await using (var first = new NpgsqlBatch(c, tx))
            {
                first.BatchCommands.Add(BatchCommand(LockDepthsSql, accounts, devices));
                first.BatchCommands.Add(BatchCommand("INSERT INTO payloads (body, received_at) VALUES ($1, $2) RETURNING id", shared, Millis(now)));
                payload = (long)(await first.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            await using var second = new NpgsqlBatch(c, tx);
            var insert = BatchCommand("""
                INSERT INTO messages (account, device, message_id, body, received_at, payload)
                SELECT a, d, $3, b, $4, $5 FROM unnest($1::text[], $2::text[], $6::bytea[]) AS u(a, d, b) ORDER BY a COLLATE "C", d COLLATE "C"
                ON CONFLICT DO NOTHING
                """, accounts, devices, messageId, Millis(now), payload, parts);
            second.BatchCommands.Add(insert);
            second.BatchCommands.Add(BatchCommand("DELETE FROM payloads p WHERE p.id = $1 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.payload = $1)", payload));
            second.BatchCommands.Add(BatchCommand("""
                SELECT d.account, d.device FROM mailbox_depth d JOIN unnest($1::text[], $2::text[]) AS u(a, d2) ON d.account = u.a AND d.device = u.d2
                WHERE d.messages > $3 LIMIT 1
                """, accounts, devices, (long)RelayLimits.MaxMailboxMessages));
            await using (var reader = await second.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                // The inserts and the delete return no rows: the first result set is the depth check.
                if (await reader.ReadAsync(ct).ConfigureAwait(false)) throw new MailboxFullException(reader.GetString(0), reader.GetString(1));
            }

            return insert.RecordsAffected;
        }, ct).ConfigureAwait(false);
        if (recipients.Count > 0)
            Signal([.. recipients.Select(r => (r.Account, r.Device)).Distinct().Select(r => new RelaySignal(RelaySignalKind.NewMessage, r.Account, r.Device))]);
        return stored;
    }
}
