using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

// Acks, gathered like submits (PostgresBatchQueue): concurrent AckAsync calls of any devices become one DELETE per round,
// one implicit transaction. They run on their own pooled sessions with synchronous_commit=off (_ackDataSource): an ack
// is answered once committed (visible to every node at once) but before its WAL flush, as the SQLite store answers acks
// before their fsync. A crash can forget the last acks: their messages are delivered again, and the client drops them
// by message id (docs/deployment.md, "Durability"). Submits never run on these sessions.
public sealed partial class PostgresRelayStore
{
    // The depth rows of a round's devices, locked in (account, device) order before the delete fires the depth trigger
    // on them in whatever order the plan deletes: the order every enqueue locks in, so a round of acks and a round of
    // submits cannot deadlock.
    private const string LockAckDepthsSql = """
        SELECT 1 FROM mailbox_depth m JOIN unnest($1::text[], $2::text[]) AS u(a, d) ON m.account = u.a AND m.device = u.d
        ORDER BY m.account COLLATE "C", m.device COLLATE "C" FOR UPDATE OF m
        """;

    private const string AckRoundSql = """
        DELETE FROM messages m USING unnest($1::text[], $2::text[], $3::bigint[]) AS u(a, d, s)
        WHERE m.account = u.a AND m.device = u.d AND m.seq = u.s
        RETURNING m.account, m.device, m.seq
        """;

    public async Task<int> AckAsync(string account, string device, IReadOnlyList<long> seqs, CancellationToken ct = default)
    {
        if (seqs.Count == 0) return 0;
        var request = new AckRequest(account, device, [.. seqs.Distinct()], ct);
        _acks.Enqueue(request);
        return await request.Task.ConfigureAwait(false);
    }

    private async Task RunAckRoundAsync(List<AckRequest> round)
    {
        List<(string Account, string Device, long Seq)> deleted;
        try
        {
            deleted = await RunAsync(c => AckRoundAsync(c, round), CancellationToken.None, _ackDataSource).ConfigureAwait(false);
        }
        catch (RelayStoreException e) when (e.InnerException is PostgresException && round.Count > 1)
        {
            // Each on its own, so a failure stays with the request that caused it.
            foreach (var request in round)
            {
                try
                {
                    request.Complete(await RunAsync(c => ExecuteAsync(c, null, "DELETE FROM messages WHERE account = $1 AND device = $2 AND seq = ANY($3)",
                        CancellationToken.None, request.Account, request.Device, request.Seqs), CancellationToken.None, _ackDataSource).ConfigureAwait(false));
                }
                catch (Exception one)
                {
                    request.Fail(one);
                }
            }

            return;
        }
        catch (RelayStoreException e)
        {
            foreach (var request in round) request.Fail(e);
            return;
        }

        // Two requests naming one message (two acks of one device racing): the first is credited.
        var owner = new Dictionary<(string, string, long), int>();
        for (var r = 0; r < round.Count; r++)
        {
            foreach (var seq in round[r].Seqs) owner.TryAdd((round[r].Account, round[r].Device, seq), r);
        }

        var counts = new int[round.Count];
        foreach (var row in deleted) counts[owner[row]]++;
        for (var r = 0; r < round.Count; r++) round[r].Complete(counts[r]);
    }

    private static async Task<List<(string, string, long)>> AckRoundAsync(NpgsqlConnection c, List<AckRequest> round)
    {
        await using var batch = new NpgsqlBatch(c);
        var pairs = round.Select(r => (r.Account, r.Device)).Distinct().ToArray();
        if (pairs.Length > 1)
            batch.BatchCommands.Add(BatchCommand(LockAckDepthsSql, pairs.Select(p => p.Account).ToArray(), pairs.Select(p => p.Device).ToArray()));
        var rows = round.SelectMany(r => r.Seqs.Select(s => (r.Account, r.Device, Seq: s))).ToArray();
        batch.BatchCommands.Add(BatchCommand(AckRoundSql, rows.Select(x => x.Account).ToArray(), rows.Select(x => x.Device).ToArray(), rows.Select(x => x.Seq).ToArray()));
        var deleted = new List<(string, string, long)>(rows.Length);
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        // The lock's rows come first (one result set), then the delete's.
        do
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                if (reader.FieldCount == 3) deleted.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }
        while (await reader.NextResultAsync().ConfigureAwait(false));

        return deleted;
    }

    private sealed class AckRequest(string account, string device, long[] seqs, CancellationToken ct) : PostgresBatchQueue<AckRequest>.Request(ct)
    {
        public string Account { get; } = account;

        public string Device { get; } = device;

        public long[] Seqs { get; } = seqs;
    }
}
