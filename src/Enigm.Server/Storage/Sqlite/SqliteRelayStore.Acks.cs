using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

// Acks from every delivery connection are gathered and deleted together: the first ack to arrive queues one write, and
// every ack that arrives before the writer runs it joins it; the write deletes all of them with one DELETE (their
// (seq, account, device) triples travel as one JSON parameter), so a group commit of N acks costs one statement, not N
// (measured with `Enigm.RelayLoad statements`). An ack does not wait for its own fsync (it is on disk with the next
// durable write's): if the relay dies first, the message is delivered again and the client drops it by message id
// (docs/relay-api.md, "Delivery"), so nothing is lost or shown twice.
public sealed partial class SqliteRelayStore
{
    private const string DeleteAcked =
        "DELETE FROM messages WHERE seq IN (SELECT m.seq FROM json_each($p0) j JOIN messages m ON m.seq = j.value ->> 0 AND m.account = j.value ->> 1 AND m.device = j.value ->> 2) RETURNING seq, account, device, length(body)";

    private readonly object _ackLock = new();
    private List<PendingAck>? _acks;
    private Task<bool>? _ackWrite;

    public async Task<int> AckAsync(string account, string device, IReadOnlyList<long> seqs, CancellationToken ct = default)
    {
        if (seqs.Count == 0) return 0;
        var ack = new PendingAck(account, device, seqs);
        Task<bool> write;
        lock (_ackLock)
        {
            if (_acks is null)
            {
                var joined = _acks = [];
                List<PendingAck>? taken = null;
                _ackWrite = _writer.WriteAsync((c, tx) => DeleteAcks(c, tx, taken ??= Take(joined)), durable: false, CancellationToken.None);
            }

            _acks.Add(ack);
            write = _ackWrite!;
        }

        await write.WaitAsync(ct).ConfigureAwait(false);
        return ack.Deleted;
    }

    /// <summary>Writer thread: closes the gathering list (later acks start the next write) and returns it.</summary>
    private List<PendingAck> Take(List<PendingAck> joined)
    {
        lock (_ackLock)
        {
            if (ReferenceEquals(_acks, joined)) _acks = null;
        }

        return joined;
    }

    /// <summary>
    /// Deletes every gathered ack's messages in one statement; each ack counts the rows it named first (two acks naming
    /// one message count it once, as two deletes in a row would). Run again after a rollback, it recounts from scratch.
    /// </summary>
    private bool DeleteAcks(SqliteConnection c, SqliteTransaction tx, List<PendingAck> acks)
    {
        var owners = new Dictionary<(long Seq, string Account, string Device), PendingAck>();
        var json = new ArrayBufferWriter<byte>(64 * acks.Count);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartArray();
            foreach (var ack in acks)
            {
                ack.Deleted = 0;
                foreach (var seq in ack.Seqs)
                {
                    if (!owners.TryAdd((seq, ack.Account, ack.Device), ack)) continue;
                    writer.WriteStartArray();
                    writer.WriteNumberValue(seq);
                    writer.WriteStringValue(ack.Account);
                    writer.WriteStringValue(ack.Device);
                    writer.WriteEndArray();
                }
            }

            writer.WriteEndArray();
        }

        using var command = Command(c, tx, DeleteAcked, Encoding.UTF8.GetString(json.WrittenSpan));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var (seq, account, device) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
            _depths.Change(account, device, -1, -reader.GetInt64(3));
            owners[(seq, account, device)].Deleted++;
        }

        return true;
    }

    private sealed class PendingAck(string account, string device, IReadOnlyList<long> seqs)
    {
        public string Account { get; } = account;

        public string Device { get; } = device;

        public IReadOnlyList<long> Seqs { get; } = seqs;

        /// <summary>Set by the writer thread; read after the write's task completed.</summary>
        public int Deleted { get; set; }
    }
}
