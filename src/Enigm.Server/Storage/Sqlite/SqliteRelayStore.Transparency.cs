using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

// Leaf data of the transparency log: what each tree leaf commits to (the account's device-log head).
public sealed partial class SqliteRelayStore
{
    public Task AppendLeafAsync(long index, string account, byte[] leafData, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) => Execute(c, tx, "INSERT INTO tree_leaves (idx, account, data) VALUES ($p0, $p1, $p2)", index, account, leafData), ct);

    public Task<(long Index, byte[] LeafData)?> LatestLeafAsync(string account, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read<(long, byte[])?>(c =>
        {
            using var command = Command(c, null, "SELECT idx, data FROM tree_leaves WHERE account = $p0 ORDER BY idx DESC LIMIT 1", account);
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : null;
        }));
}
