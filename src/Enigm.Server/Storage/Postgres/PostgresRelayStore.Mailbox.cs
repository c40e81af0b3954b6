using Enigm.Relay;
using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

// Mailboxes, rendezvous and stats. Submits and acks are gathered into rounds (PostgresRelayStore.Submits and .Acks);
// the single-submit path here is their fallback: one round trip, one implicit transaction (a batch without BEGIN is
// atomic in PostgreSQL): lock each recipient's depth row (devices in sorted order, so two submits to one account cannot
// deadlock), then one statement that inserts every message ON CONFLICT DO NOTHING unless a device would pass the cap,
// and returns what it stored or which device is full. Every node is told after the commit.
public sealed partial class PostgresRelayStore
{
    private const int SweepBatch = 5000;

    // $1 account, $2 devices, $3 message ids, $4 bodies (parallel arrays), $5 received_at, $6 the cap. "fresh" is what
    // is not stored yet (a retried submit's messages are not counted against the cap), "full" the devices it would
    // take past the cap: then nothing is inserted. Rows go in in device order, so each device's seqs follow its lock.
    private const string EnqueueSql = """
        WITH wanted AS (
            SELECT u.d, u.id, u.b, u.n FROM unnest($2::text[], $3::bytea[], $4::bytea[]) WITH ORDINALITY AS u(d, id, b, n)),
        fresh AS (
            SELECT w.d, count(*) AS k FROM wanted w
            WHERE NOT EXISTS (SELECT 1 FROM messages x WHERE x.account = $1 AND x.device = w.d AND x.message_id = w.id)
            GROUP BY w.d),
        too_full AS (
            SELECT f.d FROM fresh f JOIN mailbox_depth m ON m.account = $1 AND m.device = f.d
            WHERE m.messages + f.k > $6 ORDER BY f.d COLLATE "C" LIMIT 1),
        stored AS (
            INSERT INTO messages (account, device, message_id, body, received_at)
            SELECT $1, w.d, w.id, w.b, $5 FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM too_full)
            ORDER BY w.d COLLATE "C", w.n
            ON CONFLICT DO NOTHING
            RETURNING seq, device, message_id)
        SELECT true, d, 0::bigint, NULL::bytea FROM too_full
        UNION ALL
        SELECT false, device, seq, message_id FROM stored
        """;

    /// <summary>One submit in its own transaction: the fallback when a round of submits failed as a whole (PostgresRelayStore.Submits).</summary>
    private async Task<List<(string Device, long Seq, byte[] MessageId)>> EnqueueOneAsync(string account, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset now, CancellationToken ct)
    {
        var devices = messages.Select(m => m.Device).Distinct().Order(StringComparer.Ordinal).ToArray();
        return await RunAsync(async c =>
        {
            var result = new List<(string Device, long Seq, byte[] MessageId)>(messages.Count);
            await using var batch = new NpgsqlBatch(c);
            batch.BatchCommands.Add(BatchCommand(LockDepthsSql, Enumerable.Repeat(account, devices.Length).ToArray(), devices));
            batch.BatchCommands.Add(BatchCommand(EnqueueSql, account, messages.Select(m => m.Device).ToArray(), messages.Select(m => m.MessageId).ToArray(),
                messages.Select(m => m.Body).ToArray(), Millis(now), (long)RelayLimits.MaxMailboxMessages));
            await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (reader.GetBoolean(0)) throw new MailboxFullException(account, reader.GetString(1));
                result.Add((reader.GetString(1), reader.GetInt64(2), (byte[])reader[3]));
            }

            return result;
        }, ct).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<MailboxMessage>> FetchAsync(string account, string device, long afterSeq, int limit, CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<MailboxMessage>>(async c =>
        {
            var result = new List<MailboxMessage>();
            await using var command = Command(c, null,
                "SELECT m.seq, m.message_id, m.body, m.received_at, p.body FROM messages m LEFT JOIN payloads p ON p.id = m.payload WHERE m.account = $1 AND m.device = $2 AND m.seq > $3 ORDER BY m.seq LIMIT $4",
                account, device, afterSeq, Math.Max(0, limit));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                result.Add(new MailboxMessage(reader.GetInt64(0), (byte[])reader[1], (byte[])reader[2], Time(reader.GetInt64(3)), reader.IsDBNull(4) ? null : (byte[])reader[4]));
            return result;
        }, ct);

    public async Task<long> SweepExpiredAsync(DateTimeOffset cutoff, CancellationToken ct = default)
    {
        long total = 0;
        while (true)
        {
            // Small batches: each holds the depth rows it touches only briefly; a deadlock with a submit is retried.
            var deleted = await TransactAsync((c, tx) => ExecuteAsync(c, tx,
                "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE received_at < $1 ORDER BY account, device LIMIT $2)", ct, Millis(cutoff), SweepBatch), ct).ConfigureAwait(false);
            total += deleted;
            if (deleted < SweepBatch) break;
        }

        // Payloads of expired multi-recipient messages, and any payload no row names (see PostgresSchema).
        await TransactAsync((c, tx) => ExecuteAsync(c, tx,
            "DELETE FROM payloads p WHERE p.received_at < $1 OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.payload = p.id)", ct, Millis(cutoff)), ct).ConfigureAwait(false);

        await TransactAsync(async (c, tx) =>
            await ExecuteAsync(c, tx, "DELETE FROM challenges WHERE expires_at < $1", ct, Millis(cutoff)).ConfigureAwait(false)
            + await ExecuteAsync(c, tx, "DELETE FROM tokens WHERE expires_at < $1", ct, Millis(cutoff)).ConfigureAwait(false), ct).ConfigureAwait(false);
        return total;
    }

    public Task<(long Messages, long Bytes)> MailboxDepthAsync(string account, string device, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, "SELECT messages, bytes FROM mailbox_depth WHERE account = $1 AND device = $2", account, device);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0L, 0L);
        }, ct);

    // --- rendezvous ---

    public Task<long> RendezvousPostAsync(string channel, byte[] payload, DateTimeOffset now, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) => (long)(await ScalarAsync(c, tx, "INSERT INTO rendezvous (channel, payload, created_at) VALUES ($1, $2, $3) RETURNING seq", ct, channel, payload, Millis(now)).ConfigureAwait(false))!, ct);

    public Task<IReadOnlyList<RendezvousMessage>> RendezvousReadAsync(string channel, long afterSeq, CancellationToken ct = default) =>
        TransactAsync<IReadOnlyList<RendezvousMessage>>(async (c, tx) =>
        {
            var result = new List<RendezvousMessage>();
            await using var command = Command(c, tx, "SELECT seq, payload FROM rendezvous WHERE channel = $1 AND seq > $2 ORDER BY seq LIMIT $3", channel, afterSeq, RelayLimits.MaxRendezvousMessages);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) result.Add(new RendezvousMessage(reader.GetInt64(0), (byte[])reader[1]));
            return result;
        }, ct);

    public Task<long> SweepRendezvousAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) => (long)await ExecuteAsync(c, tx, "DELETE FROM rendezvous WHERE created_at < $1", ct, Millis(cutoff)).ConfigureAwait(false), ct);

    // --- admin ---

    public Task<AdminStats> StatsAsync(CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, """
                SELECT (SELECT count(*) FROM accounts),
                       (SELECT count(*) FROM devices WHERE NOT revoked),
                       (SELECT coalesce(sum(messages), 0)::bigint FROM mailbox_depth),
                       (SELECT coalesce(sum(bytes), 0)::bigint FROM mailbox_depth) + (SELECT coalesce(sum(octet_length(body)), 0)::bigint FROM payloads),
                       (SELECT coalesce(max(idx) + 1, 0) FROM tree_nodes WHERE level = 0),
                       (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r')
                """);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return new AdminStats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), Kind, reader.GetInt64(5));
        }, ct);
}
