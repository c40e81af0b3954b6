using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

// Attachments: a row per blob (complete = 0 while it streams in) and a row per 64 KiB chunk. An upload reads at
// most ChunksPerWrite chunks before writing them, so memory stays bounded whatever the blob's size. A failed or
// oversized upload deletes what it wrote; a crash mid-upload leaves an incomplete row the sweep removes.
public sealed partial class SqliteRelayStore
{
    internal const int ChunkBytes = 64 * 1024;
    private const int ChunksPerWrite = 16;

    public async Task<bool> PutAttachmentAsync(string id, string ownerAccount, Stream content, long maxBytes, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var created = await _writer.WriteAsync((c, tx) =>
            Execute(c, tx, "INSERT OR IGNORE INTO attachments (id, owner, length, complete, created_at) VALUES ($p0, $p1, 0, 0, $p2)", id, ownerAccount, Millis(now)) > 0, ct).ConfigureAwait(false);
        if (!created) return false;
        try
        {
            long total = 0;
            var index = 0;
            var chunks = new List<byte[]>(ChunksPerWrite);
            var buffer = new byte[ChunkBytes];
            var ended = false;
            while (!ended)
            {
                chunks.Clear();
                while (chunks.Count < ChunksPerWrite)
                {
                    var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                    total += read;
                    if (total > maxBytes) throw new AttachmentTooLargeException(maxBytes);
                    if (read > 0) chunks.Add(buffer.AsSpan(0, read).ToArray());
                    if (read < buffer.Length)
                    {
                        ended = true;
                        break;
                    }
                }

                var first = index;
                index += chunks.Count;
                if (chunks.Count > 0)
                {
                    await _writer.WriteAsync((c, tx) =>
                    {
                        using var insert = Command(c, tx, "INSERT INTO attachment_chunks (id, idx, data) VALUES ($p0, $p1, $p2)", id, 0L, Array.Empty<byte>());
                        for (var i = 0; i < chunks.Count; i++)
                        {
                            insert.Parameters["$p1"].Value = (long)(first + i);
                            insert.Parameters["$p2"].Value = chunks[i];
                            insert.ExecuteNonQuery();
                        }

                        return true;
                    }, ct).ConfigureAwait(false);
                }
            }

            await _writer.WriteAsync((c, tx) => Execute(c, tx, "UPDATE attachments SET length = $p0, complete = 1 WHERE id = $p1", total, id), ct).ConfigureAwait(false);
            return true;
        }
        catch
        {
            await _writer.WriteAsync((c, tx) => DeleteAttachment(c, tx, id), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public Task<long?> AttachmentLengthAsync(string id, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read<long?>(c =>
        {
            using var command = Command(c, null, "SELECT length FROM attachments WHERE id = $p0 AND complete = 1", id);
            return command.ExecuteScalar() is long length ? length : null;
        }));

    public async Task<bool> CopyAttachmentToAsync(string id, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (await AttachmentLengthAsync(id, ct).ConfigureAwait(false) is not { } length) return false;
        var chunks = (length + ChunkBytes - 1) / ChunkBytes;
        for (long index = 0; index < chunks; index++)
        {
            // One chunk per query: no connection is held across the awaits on the destination.
            var chunk = _readers.Read(c =>
            {
                using var command = Command(c, null, "SELECT data FROM attachment_chunks WHERE id = $p0 AND idx = $p1", id, index);
                return command.ExecuteScalar() as byte[];
            }) ?? throw new RelayStoreException($"attachment {id} lost chunk {index} (swept while being read?)");
            await destination.WriteAsync(chunk, ct).ConfigureAwait(false);
        }

        return true;
    }

    public Task<long> SweepAttachmentsAsync(DateTimeOffset cutoff, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) =>
        {
            Execute(c, tx, "DELETE FROM attachment_chunks WHERE id IN (SELECT id FROM attachments WHERE created_at < $p0)", Millis(cutoff));
            return (long)Execute(c, tx, "DELETE FROM attachments WHERE created_at < $p0", Millis(cutoff));
        }, ct);

    private static bool DeleteAttachment(Microsoft.Data.Sqlite.SqliteConnection c, Microsoft.Data.Sqlite.SqliteTransaction tx, string id)
    {
        Execute(c, tx, "DELETE FROM attachment_chunks WHERE id = $p0", id);
        return Execute(c, tx, "DELETE FROM attachments WHERE id = $p0", id) > 0;
    }
}
