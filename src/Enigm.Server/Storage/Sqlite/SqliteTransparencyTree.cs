using Enigm.Trust.Transparency;
using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Enigm.Trust's tree store over the <c>tree_nodes</c> table (level, index, hash). <see cref="TransparencyLog"/>
/// serialises its calls; an append writes every new node in one group commit, so a crash keeps the tree whole.
/// The interface is synchronous: an append waits for its commit.
/// </summary>
internal sealed class SqliteTransparencyTree(SqliteWriter writer, SqliteReaders readers) : ITransparencyLogStore
{
    private const int H = MerkleHashing.HashSize;

    public long Size => readers.Read(c => Scalar(c, null, "SELECT coalesce(max(idx) + 1, 0) FROM tree_nodes WHERE level = 0"));

    public void Append(ReadOnlySpan<byte> newNodes, int count)
    {
        if (count < 1 || newNodes.Length != count * H)
            throw new ArgumentException("Expected the leaf hash and the completed subtree hashes, 32 bytes each.", nameof(newNodes));
        var nodes = newNodes.ToArray();
        writer.WriteAsync((c, tx) =>
        {
            var leaf = Scalar(c, tx, "SELECT coalesce(max(idx) + 1, 0) FROM tree_nodes WHERE level = 0");
            using var insert = Command(c, tx, "INSERT INTO tree_nodes (level, idx, hash) VALUES ($p0, $p1, $p2)", 0L, 0L, Array.Empty<byte>());
            for (var level = 0; level < count; level++)
            {
                // The node a leaf completes at level k is the (leaf >> k)-th of that level.
                insert.Parameters["$p0"].Value = (long)level;
                insert.Parameters["$p1"].Value = leaf >> level;
                insert.Parameters["$p2"].Value = nodes.AsSpan(level * H, H).ToArray();
                insert.ExecuteNonQuery();
            }

            return true;
        }).GetAwaiter().GetResult();
    }

    public void ReadNode(int level, long index, Span<byte> destination)
    {
        var hash = readers.Read(c =>
        {
            using var command = Command(c, null, "SELECT hash FROM tree_nodes WHERE level = $p0 AND idx = $p1", (long)level, index);
            return command.ExecuteScalar() as byte[];
        }) ?? throw new ArgumentOutOfRangeException(nameof(index), $"No node ({level}, {index}) in the tree.");
        hash.CopyTo(destination);
    }
}
