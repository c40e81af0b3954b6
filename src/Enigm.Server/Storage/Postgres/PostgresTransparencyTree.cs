using Enigm.Trust.Transparency;
using Npgsql;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// Enigm.Trust's tree store over the <c>tree_nodes</c> table. Several nodes share the tree, so an append is a
/// compare-and-swap: it writes the leaf at the <see cref="Size"/> this instance last read (the size
/// <see cref="TransparencyLog"/> computed the new nodes from), and the primary key refuses it with a
/// <see cref="RelayStoreException"/> when another node appended first; the caller re-reads and retries.
/// The interface is synchronous, so this uses Npgsql's synchronous API.
/// </summary>
internal sealed class PostgresTransparencyTree(NpgsqlDataSource dataSource) : ITransparencyLogStore
{
    private const int H = MerkleHashing.HashSize;

    private long _lastSize = -1;

    public long Size
    {
        get
        {
            var size = Run(c =>
            {
                using var command = new NpgsqlCommand("SELECT coalesce(max(idx) + 1, 0) FROM tree_nodes WHERE level = 0", c);
                return (long)command.ExecuteScalar()!;
            });
            Volatile.Write(ref _lastSize, size);
            return size;
        }
    }

    public void Append(ReadOnlySpan<byte> newNodes, int count)
    {
        if (count < 1 || newNodes.Length != count * H)
            throw new ArgumentException("Expected the leaf hash and the completed subtree hashes, 32 bytes each.", nameof(newNodes));
        var nodes = newNodes.ToArray();
        var leaf = Volatile.Read(ref _lastSize);
        if (leaf < 0) leaf = Size;
        try
        {
            Run(c =>
            {
                using var transaction = c.BeginTransaction();
                using var batch = new NpgsqlBatch(c, transaction);
                for (var level = 0; level < count; level++)
                {
                    // The node a leaf completes at level k is the (leaf >> k)-th of that level.
                    batch.BatchCommands.Add(PostgresCommands.BatchCommand("INSERT INTO tree_nodes (level, idx, hash) VALUES ($1, $2, $3)", level, leaf >> level, nodes[(level * H)..((level + 1) * H)]));
                }

                batch.ExecuteNonQuery();
                transaction.Commit();
                return true;
            });
        }
        catch (RelayStoreException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new TransparencyAppendConflictException(leaf, e);
        }

        Volatile.Write(ref _lastSize, leaf + 1);
    }

    public void ReadNode(int level, long index, Span<byte> destination)
    {
        var hash = Run(c =>
        {
            using var command = new NpgsqlCommand("SELECT hash FROM tree_nodes WHERE level = $1 AND idx = $2", c);
            command.Parameters.Add(new NpgsqlParameter { Value = level });
            command.Parameters.Add(new NpgsqlParameter { Value = index });
            return command.ExecuteScalar() as byte[];
        }) ?? throw new ArgumentOutOfRangeException(nameof(index), $"No node ({level}, {index}) in the tree.");
        hash.CopyTo(destination);
    }

    private T Run<T>(Func<NpgsqlConnection, T> work)
    {
        try
        {
            using var connection = dataSource.OpenConnection();
            return work(connection);
        }
        catch (NpgsqlException e)
        {
            throw new RelayStoreException($"the relay database failed: {e.Message}", e);
        }
    }
}
