using Enigm.Relay;
using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

// Group commit of submits (issue 13, "Durability": batch commits rather than weaken them). Concurrent EnqueueAsync calls
// are gathered by PostgresBatchQueue; a round is one round trip, one implicit transaction (synchronous_commit=on) for all
// of them: (1) lock every (account, device) depth row the round touches, in (account, device) order as every enqueue
// does, so rounds and multi-recipient submits cannot deadlock and each device's seqs commit in order; (2) one statement
// that checks every request's caps and inserts the messages of the requests that fit, returning their seqs. Each caller
// is answered after that commit. A request that would take a mailbox past the cap fails alone with MailboxFullException;
// the rest of the round is stored. A round the database refuses for another reason runs again one request at a time
// (EnqueueOneAsync), so such a failure stays with the request that caused it.
public sealed partial class PostgresRelayStore
{
    // One row per message: $1 the request's index in the round, $2 account, $3 device, $4 message id, $5 body,
    // $6 received_at, $7 the cap. "fresh" counts, per request and device, the messages not stored yet (a retried
    // submit's are not counted against the cap). A request is flagged for a device when the depth plus the fresh
    // messages of the round's requests up to and including it pass the cap ("cum"); "own" says whether it passes the cap
    // on its own. Flagged requests insert nothing: with "own" they are refused, without it they only met the cap because
    // of an earlier request of the round and go to a later round (where they are checked against the new depth).
    private const string SubmitRoundSql = """
        WITH wanted AS (
            SELECT u.r, u.a, u.d, u.id, u.b, u.t, u.n
            FROM unnest($1::int[], $2::text[], $3::text[], $4::bytea[], $5::bytea[], $6::bigint[]) WITH ORDINALITY AS u(r, a, d, id, b, t, n)),
        fresh AS (
            SELECT w.r, w.a, w.d, count(*) AS k FROM wanted w
            WHERE NOT EXISTS (SELECT 1 FROM messages x WHERE x.account = w.a AND x.device = w.d AND x.message_id = w.id)
            GROUP BY w.r, w.a, w.d),
        counted AS (
            SELECT f.r, f.a, f.d, m.messages + f.k > $7 AS own,
                   m.messages + sum(f.k) OVER (PARTITION BY f.a, f.d ORDER BY f.r) > $7 AS cum
            FROM fresh f JOIN mailbox_depth m ON m.account = f.a AND m.device = f.d),
        flagged AS (
            SELECT r, a, d, own FROM counted WHERE cum),
        stored AS (
            INSERT INTO messages (account, device, message_id, body, received_at)
            SELECT w.a, w.d, w.id, w.b, w.t FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM flagged x WHERE x.r = w.r)
            ORDER BY w.a COLLATE "C", w.d COLLATE "C", w.n
            ON CONFLICT DO NOTHING
            RETURNING seq, account, device, message_id)
        SELECT r, own, a, d, 0::bigint, NULL::bytea FROM flagged
        UNION ALL
        SELECT -1, false, account, device, seq, message_id FROM stored
        """;

    // Creates missing depth rows and locks them all, in (account, device) order (C collation, as everywhere). Every
    // enqueue runs it first: a round, the single-submit fallback and the multi-recipient submit.
    private const string LockDepthsSql = """
        INSERT INTO mailbox_depth (account, device, messages, bytes) SELECT a, d, 0, 0 FROM unnest($1::text[], $2::text[]) AS u(a, d)
        ORDER BY a COLLATE "C", d COLLATE "C"
        ON CONFLICT (account, device) DO UPDATE SET messages = mailbox_depth.messages
        """;

    public async Task<int> EnqueueAsync(string account, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset now, CancellationToken ct = default)
    {
        if (messages.Count == 0) return 0;
        var request = new SubmitRequest(account, messages, now, ct);
        _submits.Enqueue(request);
        return await request.Task.ConfigureAwait(false);
    }

    private async Task RunSubmitRoundAsync(List<SubmitRequest> round)
    {
        (List<(int Request, string Account, string Device, bool Own)> Flagged, List<(string Account, string Device, long Seq, byte[] MessageId)> Stored) result;
        try
        {
            result = await RunAsync(c => SubmitRoundAsync(c, round), CancellationToken.None).ConfigureAwait(false);
        }
        catch (RelayStoreException e) when (e.InnerException is PostgresException && round.Count > 1)
        {
            await RunOneByOneAsync(round).ConfigureAwait(false);
            return;
        }
        catch (RelayStoreException e)
        {
            foreach (var request in round) request.Fail(e);
            return;
        }

        // Committed. Refused requests fail alone; requests that met the cap only after an earlier one of the round go again.
        var flagged = new HashSet<int>();
        foreach (var group in result.Flagged.GroupBy(f => f.Request))
        {
            flagged.Add(group.Key);
            var request = round[group.Key];
            var full = group.Where(f => f.Own).Select(f => f.Device).Order(StringComparer.Ordinal).FirstOrDefault();
            if (full is not null) request.Fail(new MailboxFullException(request.Account, full));
            else _submits.Requeue(request);
        }

        // A message id sent twice in one round (a retry racing its original) is stored once, credited to the first request.
        var owner = new Dictionary<(string, string, string), int>();
        var stored = new List<(string Device, long Seq, byte[] MessageId)>[round.Count];
        for (var r = 0; r < round.Count; r++)
        {
            stored[r] = [];
            if (flagged.Contains(r)) continue;
            foreach (var m in round[r].Messages) owner.TryAdd((round[r].Account, m.Device, Convert.ToHexString(m.MessageId)), r);
        }

        foreach (var (account, device, seq, messageId) in result.Stored) stored[owner[(account, device, Convert.ToHexString(messageId))]].Add((device, seq, messageId));

        var signals = new List<RelaySignal>();
        for (var r = 0; r < round.Count; r++)
        {
            if (!flagged.Contains(r)) signals.AddRange(SignalsFor(round[r].Account, round[r].Messages, round[r].Now, stored[r]));
        }

        Signal(signals);
        for (var r = 0; r < round.Count; r++)
        {
            if (!flagged.Contains(r)) round[r].Complete(stored[r].Count);
        }
    }

    private static async Task<(List<(int, string, string, bool)>, List<(string, string, long, byte[])>)> SubmitRoundAsync(NpgsqlConnection c, List<SubmitRequest> round)
    {
        var rows = round.SelectMany((request, r) => request.Messages.Select(m => (R: r, request.Account, m, request.Now))).ToArray();
        var pairs = rows.Select(x => (x.Account, x.m.Device)).Distinct()
            .OrderBy(p => p.Account, StringComparer.Ordinal).ThenBy(p => p.Device, StringComparer.Ordinal).ToArray();
        await using var batch = new NpgsqlBatch(c);
        batch.BatchCommands.Add(BatchCommand(LockDepthsSql, pairs.Select(p => p.Account).ToArray(), pairs.Select(p => p.Device).ToArray()));
        batch.BatchCommands.Add(BatchCommand(SubmitRoundSql, rows.Select(x => x.R).ToArray(), rows.Select(x => x.Account).ToArray(), rows.Select(x => x.m.Device).ToArray(),
            rows.Select(x => x.m.MessageId).ToArray(), rows.Select(x => x.m.Body).ToArray(), rows.Select(x => Millis(x.Now)).ToArray(), (long)RelayLimits.MaxMailboxMessages));
        var flagged = new List<(int, string, string, bool)>();
        var stored = new List<(string, string, long, byte[])>(rows.Length);
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var r = reader.GetInt32(0);
            if (r >= 0) flagged.Add((r, reader.GetString(2), reader.GetString(3), reader.GetBoolean(1)));
            else stored.Add((reader.GetString(2), reader.GetString(3), reader.GetInt64(4), (byte[])reader[5]));
        }

        return (flagged, stored);
    }

    /// <summary>The fallback after a round failed as a whole: each request in its own transaction, failing alone.</summary>
    private async Task RunOneByOneAsync(List<SubmitRequest> round)
    {
        foreach (var request in round)
        {
            try
            {
                var stored = await EnqueueOneAsync(request.Account, request.Messages, request.Now, CancellationToken.None).ConfigureAwait(false);
                Signal(SignalsFor(request.Account, request.Messages, request.Now, stored));
                request.Complete(stored.Count);
            }
            catch (Exception e)
            {
                request.Fail(e);
            }
        }
    }

    /// <summary>
    /// After the commit: every device gets a signal; this node hands what it stored to a connection it holds without a
    /// re-read (a retried submit that stored nothing new still wakes the devices, which then fetch).
    /// </summary>
    private static List<RelaySignal> SignalsFor(string account, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset now, List<(string Device, long Seq, byte[] MessageId)> stored)
    {
        var bodies = new Dictionary<(string, string), byte[]>();
        foreach (var m in messages) bodies.TryAdd((m.Device, Convert.ToHexString(m.MessageId)), m.Body);
        var signals = new List<RelaySignal>(messages.Count + stored.Count);
        foreach (var (device, seq, messageId) in stored)
            signals.Add(new RelaySignal(RelaySignalKind.NewMessage, account, device, null, new MailboxMessage(seq, messageId, bodies[(device, Convert.ToHexString(messageId))], Time(Millis(now)))));
        foreach (var device in messages.Select(m => m.Device).Distinct().Where(d => !stored.Any(s => s.Device == d)))
            signals.Add(new RelaySignal(RelaySignalKind.NewMessage, account, device));
        return signals;
    }

    private sealed class SubmitRequest(string account, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset now, CancellationToken ct)
        : PostgresBatchQueue<SubmitRequest>.Request(ct)
    {
        public string Account { get; } = account;

        public IReadOnlyList<OutgoingMessage> Messages { get; } = messages;

        public DateTimeOffset Now { get; } = now;
    }
}
