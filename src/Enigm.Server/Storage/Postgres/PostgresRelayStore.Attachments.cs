using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

// Attachments: one transaction per upload, one 64 KiB chunk row per insert, so the blob never sits in memory and
// a refused, failed or interrupted upload (even a crashed node) rolls back to nothing. A second upload of the same
// id waits on the first one's key and then finds it taken.
public sealed partial class PostgresRelayStore
{
    internal const int ChunkBytes = 64 * 1024;

    public Task<bool> PutAttachmentAsync(string id, string ownerAccount, Stream content, long maxBytes, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return TransactAsync(async (c, tx) =>
        {
            if (await ExecuteAsync(c, tx, "INSERT INTO attachments (id, owner, length, created_at) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING", ct, id, ownerAccount, Millis(now)).ConfigureAwait(false) == 0)
                return false;
            var buffer = new byte[ChunkBytes];
            long total = 0;
            await using var insert = Command(c, tx, "INSERT INTO attachment_chunks (id, idx, data) VALUES ($1, $2, $3)", id, 0L, Array.Empty<byte>());
            for (long index = 0; ; index++)
            {
                var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                total += read;
                if (total > maxBytes) throw new AttachmentTooLargeException(maxBytes);
                if (read > 0)
                {
                    insert.Parameters[1].Value = index;
                    insert.Parameters[2].Value = read == buffer.Length ? buffer : buffer[..read];
                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                if (read < buffer.Length) break;
            }

            await ExecuteAsync(c, tx, "UPDATE attachments SET length = $1 WHERE id = $2", ct, total, id).ConfigureAwait(false);
            return true;
        }, ct, retry: false);
    }

    public Task<long?> AttachmentLengthAsync(string id, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) => await ScalarAsync(c, tx, "SELECT length FROM attachments WHERE id = $1", ct, id).ConfigureAwait(false) as long?, ct);

    public async Task<bool> CopyAttachmentToAsync(string id, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (await AttachmentLengthAsync(id, ct).ConfigureAwait(false) is not { } length) return false;
        var chunks = (length + ChunkBytes - 1) / ChunkBytes;
        for (long index = 0; index < chunks; index++)
        {
            // One chunk per query: no pooled connection is held while the destination (a slow client) drains.
            var at = index;
            var chunk = await TransactAsync(async (c, tx) => await ScalarAsync(c, tx, "SELECT data FROM attachment_chunks WHERE id = $1 AND idx = $2", ct, id, at).ConfigureAwait(false) as byte[], ct).ConfigureAwait(false)
                ?? throw new RelayStoreException($"attachment {id} lost chunk {index} (swept while being read?)");
            await destination.WriteAsync(chunk, ct).ConfigureAwait(false);
        }

        return true;
    }

    public Task<long> SweepAttachmentsAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await ExecuteAsync(c, tx, "DELETE FROM attachment_chunks WHERE id IN (SELECT id FROM attachments WHERE created_at < $1)", ct, Millis(cutoff)).ConfigureAwait(false);
            return (long)await ExecuteAsync(c, tx, "DELETE FROM attachments WHERE created_at < $1", ct, Millis(cutoff)).ConfigureAwait(false);
        }, ct);

    // --- transparency leaf data ---

    public Task AppendLeafAsync(long index, string account, byte[] leafData, CancellationToken ct = default) =>
        TransactAsync((c, tx) => ExecuteAsync(c, tx, "INSERT INTO tree_leaves (idx, account, data) VALUES ($1, $2, $3)", ct, index, account, leafData), ct);

    public Task<(long Index, byte[] LeafData)?> LatestLeafAsync(string account, CancellationToken ct = default) =>
        TransactAsync<(long, byte[])?>(async (c, tx) =>
        {
            await using var command = Command(c, tx, "SELECT idx, data FROM tree_leaves WHERE account = $1 ORDER BY idx DESC LIMIT 1", account);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? (reader.GetInt64(0), (byte[])reader[1]) : null;
        }, ct);
}
