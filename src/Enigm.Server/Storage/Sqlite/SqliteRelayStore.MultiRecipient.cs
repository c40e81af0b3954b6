using Enigm.Relay;
using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

// Multi-recipient submits: the shared ciphertext goes into payloads once, then one mailbox row per device names it
// (INSERT OR IGNORE on (account, device, message_id), as for ordinary messages). A payload that no new row names (a
// retry of a stored submit) is removed in the same write, so a retry stores nothing.
public sealed partial class SqliteRelayStore
{
    public async Task<int> EnqueueSharedAsync(byte[] messageId, byte[] shared, IReadOnlyList<RecipientDevice> recipients, DateTimeOffset now, CancellationToken ct = default)
    {
        var stored = await _writer.WriteAsync((c, tx) =>
        {
            var payload = Scalar(c, tx, "INSERT INTO payloads (body, received_at) VALUES ($p0, $p1) RETURNING id", shared, Millis(now));
            var count = 0;
            using var insert = Command(c, tx, "INSERT OR IGNORE INTO messages (account, device, message_id, body, received_at, payload) VALUES ($p0, $p1, $p2, $p3, $p4, $p5)",
                "", "", messageId, Array.Empty<byte>(), Millis(now), payload);
            foreach (var recipient in recipients)
            {
                insert.Parameters["$p0"].Value = recipient.Account;
                insert.Parameters["$p1"].Value = recipient.Device;
                insert.Parameters["$p3"].Value = recipient.Part ?? [];
                if (insert.ExecuteNonQuery() == 0) continue;
                count++;
                // As for ordinary submits: only mailboxes that grew are checked, and a full one rolls the whole submit back.
                if (_depths.Change(recipient.Account, recipient.Device, 1, (recipient.Part ?? []).Length) > RelayLimits.MaxMailboxMessages)
                    throw new MailboxFullException(recipient.Account, recipient.Device);
            }

            if (count == 0) Execute(c, tx, "DELETE FROM payloads WHERE id = $p0", payload);

            return count;
        }, ct).ConfigureAwait(false);

        foreach (var recipient in recipients) _signals.Dispatch(new RelaySignal(RelaySignalKind.NewMessage, recipient.Account, recipient.Device));
        return stored;
    }
}
