using Enigm.Relay;
using Microsoft.Data.Sqlite;
using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

// Mailboxes, rendezvous and stats. Messages are unique on (account, device, message_id): INSERT OR IGNORE makes a
// retried submit store nothing new. The writer keeps each mailbox's depth in memory (MailboxDepths) for the cap.
public sealed partial class SqliteRelayStore
{
    private const int SweepBatch = 5000;

    public async Task<int> EnqueueAsync(string account, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset now, CancellationToken ct = default)
    {
        var stored = await EnqueueCoreAsync(account, messages, now, ct).ConfigureAwait(false);
        // Durable now: hand each stored message to this process's delivery connections (they still wait for the device's ack).
        foreach (var message in stored) _signals.Dispatch(new RelaySignal(RelaySignalKind.NewMessage, account, message.Device, Message: message.Message));
        return stored.Count;
    }

    private Task<List<(string Device, MailboxMessage Message)>> EnqueueCoreAsync(string account, IReadOnlyList<OutgoingMessage> messages, DateTimeOffset now, CancellationToken ct) =>
        _writer.WriteAsync((c, tx) =>
        {
            var stored = new List<(string Device, MailboxMessage Message)>(messages.Count);
            var receivedAt = Time(Millis(now));
            using var insert = Command(c, tx, "INSERT OR IGNORE INTO messages (account, device, message_id, body, received_at) VALUES ($p0, $p1, $p2, $p3, $p4) RETURNING seq",
                account, "", Array.Empty<byte>(), Array.Empty<byte>(), Millis(now));
            foreach (var message in messages)
            {
                insert.Parameters["$p1"].Value = message.Device;
                insert.Parameters["$p2"].Value = message.MessageId;
                insert.Parameters["$p3"].Value = message.Body;
                // No row back: a retried submit of a message already stored (INSERT OR IGNORE).
                if (insert.ExecuteScalar() is not long seq) continue;
                stored.Add((message.Device, new MailboxMessage(seq, message.MessageId, message.Body, receivedAt)));
                // Only a mailbox that grew is checked, so a retried (duplicate) message never fails on a full mailbox;
                // the exception rolls this whole submit back to its savepoint (and the writer undoes its depth changes).
                if (_depths.Change(account, message.Device, 1, message.Body.Length) > RelayLimits.MaxMailboxMessages)
                    throw new MailboxFullException(account, message.Device);
            }

            return stored;
        }, ct);

    public Task<IReadOnlyList<MailboxMessage>> FetchAsync(string account, string device, long afterSeq, int limit, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read<IReadOnlyList<MailboxMessage>>(c =>
        {
            var result = new List<MailboxMessage>();
            using var command = Command(c, null,
                "SELECT m.seq, m.message_id, m.body, m.received_at, p.body FROM messages m LEFT JOIN payloads p ON p.id = m.payload WHERE m.account = $p0 AND m.device = $p1 AND m.seq > $p2 ORDER BY m.seq LIMIT $p3",
                account, device, afterSeq, Math.Max(0, limit));
            using var reader = command.ExecuteReader();
            while (reader.Read())
                result.Add(new MailboxMessage(reader.GetInt64(0), (byte[])reader[1], (byte[])reader[2], Time(reader.GetInt64(3)), reader.IsDBNull(4) ? null : (byte[])reader[4]));
            return result;
        }));

    public async Task<long> SweepExpiredAsync(DateTimeOffset cutoff, CancellationToken ct = default)
    {
        // In batches, so a large sweep never holds the writer (and every submit behind it) for long.
        long total = 0;
        while (true)
        {
            var deleted = await _writer.WriteAsync((c, tx) => DeleteCounted(c, tx,
                "DELETE FROM messages WHERE seq IN (SELECT seq FROM messages WHERE received_at < $p0 LIMIT $p1) RETURNING account, device, length(body)", Millis(cutoff), SweepBatch), ct).ConfigureAwait(false);
            total += deleted;
            if (deleted < SweepBatch) break;
        }

        // Shared payloads of expired multi-recipient messages (their rows went above, with the same received_at), and any
        // payload no row names any more (on PostgreSQL two last acks committing together can each still see the other's row).
        await _writer.WriteAsync((c, tx) => Execute(c, tx,
            "DELETE FROM payloads WHERE received_at < $p0 OR NOT EXISTS (SELECT 1 FROM messages WHERE payload = payloads.id)", Millis(cutoff)), ct).ConfigureAwait(false);

        // Expired long before the cutoff: challenges and tokens nobody can use any more.
        await _writer.WriteAsync((c, tx) =>
            Execute(c, tx, "DELETE FROM challenges WHERE expires_at < $p0", Millis(cutoff)) + Execute(c, tx, "DELETE FROM tokens WHERE expires_at < $p0", Millis(cutoff)), ct).ConfigureAwait(false);
        return total;
    }

    public Task<(long Messages, long Bytes)> MailboxDepthAsync(string account, string device, CancellationToken ct = default) =>
        Task.FromResult(_depths.Get(account, device));

    // --- rendezvous ---

    public Task<long> RendezvousPostAsync(string channel, byte[] payload, DateTimeOffset now, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) => Scalar(c, tx, "INSERT INTO rendezvous (channel, payload, created_at) VALUES ($p0, $p1, $p2) RETURNING seq", channel, payload, Millis(now)), ct);

    public Task<IReadOnlyList<RendezvousMessage>> RendezvousReadAsync(string channel, long afterSeq, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read<IReadOnlyList<RendezvousMessage>>(c =>
        {
            var result = new List<RendezvousMessage>();
            using var command = Command(c, null, "SELECT seq, payload FROM rendezvous WHERE channel = $p0 AND seq > $p1 ORDER BY seq LIMIT $p2", channel, afterSeq, RelayLimits.MaxRendezvousMessages);
            using var reader = command.ExecuteReader();
            while (reader.Read()) result.Add(new RendezvousMessage(reader.GetInt64(0), (byte[])reader[1]));
            return result;
        }));

    public Task<long> SweepRendezvousAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) => (long)Execute(c, tx, "DELETE FROM rendezvous WHERE created_at < $p0", Millis(cutoff)), ct);

    // --- admin ---

    public Task<AdminStats> StatsAsync(CancellationToken ct = default)
    {
        var queued = _depths.Total();
        return Task.FromResult(_readers.Read(c => new AdminStats(
            Accounts: Scalar(c, null, "SELECT count(*) FROM accounts"),
            Devices: Scalar(c, null, "SELECT count(*) FROM devices WHERE revoked = 0"),
            QueuedMessages: queued.Messages,
            QueuedBytes: queued.Bytes + Scalar(c, null, "SELECT coalesce(sum(length(body)), 0) FROM payloads"),
            TransparencyLogSize: Scalar(c, null, "SELECT coalesce(max(idx) + 1, 0) FROM tree_nodes WHERE level = 0"),
            Store: Kind,
            StoreBytes: FileBytes(_path) + FileBytes(_path + "-wal"))));
    }

    private static long FileBytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Runs a DELETE … RETURNING account, device, length(body) and takes the rows off the in-memory depths.</summary>
    private int DeleteCounted(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, string sql, params object?[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        using var reader = command.ExecuteReader();
        var deleted = 0;
        while (reader.Read())
        {
            _depths.Change(reader.GetString(0), reader.GetString(1), -1, -reader.GetInt64(2));
            deleted++;
        }

        return deleted;
    }

}
