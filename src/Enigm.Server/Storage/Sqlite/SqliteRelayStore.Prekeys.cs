using Enigm.Relay;
using Microsoft.Data.Sqlite;
using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Sqlite;

// Prekeys. Every change runs on the single writer, so a handout (delete the key, remember its id) is atomic
// against any other handout or upload; handed_out_prekeys keeps an id from ever coming back.
public sealed partial class SqliteRelayStore
{
    private const int X25519Kind = 0;
    private const int KemKind = 1;

    public Task StorePrekeysAsync(string account, string device, byte[] bundle, IReadOnlyList<OneTimePrekey> oneTimePrekeys, IReadOnlyList<OneTimePrekey> oneTimeKemPrekeys, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) =>
        {
            Execute(c, tx, "INSERT OR REPLACE INTO bundles (account, device, bundle) VALUES ($p0, $p1, $p2)", account, device, bundle);
            // The signed bundle commits to its KEM set: the unconsumed set is replaced, X25519 keys are added.
            Execute(c, tx, "DELETE FROM one_time_prekeys WHERE account = $p0 AND device = $p1 AND kind = $p2", account, device, KemKind);
            InsertUnlessHandedOut(c, tx, account, device, X25519Kind, oneTimePrekeys);
            InsertUnlessHandedOut(c, tx, account, device, KemKind, oneTimeKemPrekeys);
            return true;
        }, ct);

    public Task<BundleResponse?> TakeBundleAsync(string account, string device, CancellationToken ct = default) =>
        _writer.WriteAsync((c, tx) =>
        {
            using var command = Command(c, tx, "SELECT bundle FROM bundles WHERE account = $p0 AND device = $p1", account, device);
            if (command.ExecuteScalar() is not byte[] bundle) return null;
            return new BundleResponse(account, device, bundle, TakeOne(c, tx, account, device, X25519Kind), TakeOne(c, tx, account, device, KemKind));
        }, ct);

    public Task<PrekeyCountResponse> CountPrekeysAsync(string account, string device, CancellationToken ct = default) =>
        Task.FromResult(_readers.Read(c => new PrekeyCountResponse(
            (int)Scalar(c, null, "SELECT count(*) FROM one_time_prekeys WHERE account = $p0 AND device = $p1 AND kind = $p2", account, device, X25519Kind),
            (int)Scalar(c, null, "SELECT count(*) FROM one_time_prekeys WHERE account = $p0 AND device = $p1 AND kind = $p2", account, device, KemKind),
            Scalar(c, null, "SELECT count(*) FROM bundles WHERE account = $p0 AND device = $p1", account, device) > 0)));

    private static void InsertUnlessHandedOut(SqliteConnection c, SqliteTransaction tx, string account, string device, int kind, IReadOnlyList<OneTimePrekey> keys)
    {
        using var command = Command(c, tx, """
            INSERT OR REPLACE INTO one_time_prekeys (account, device, kind, id, key)
            SELECT $p0, $p1, $p2, $p3, $p4
            WHERE NOT EXISTS (SELECT 1 FROM handed_out_prekeys WHERE account = $p0 AND device = $p1 AND kind = $p2 AND id = $p3)
            """, account, device, kind, 0L, Array.Empty<byte>());
        foreach (var key in keys)
        {
            command.Parameters["$p3"].Value = (long)key.Id;
            command.Parameters["$p4"].Value = key.Key;
            command.ExecuteNonQuery();
        }
    }

    private static OneTimePrekey? TakeOne(SqliteConnection c, SqliteTransaction tx, string account, string device, int kind)
    {
        OneTimePrekey? taken;
        using (var command = Command(c, tx, """
            DELETE FROM one_time_prekeys
            WHERE account = $p0 AND device = $p1 AND kind = $p2
              AND id = (SELECT min(id) FROM one_time_prekeys WHERE account = $p0 AND device = $p1 AND kind = $p2)
            RETURNING id, key
            """, account, device, kind))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read()) return null;
            taken = new OneTimePrekey((uint)reader.GetInt64(0), (byte[])reader[1]);
        }

        // A plain INSERT: if an id were ever about to be handed out twice, the primary key refuses it.
        Execute(c, tx, "INSERT INTO handed_out_prekeys (account, device, kind, id) VALUES ($p0, $p1, $p2, $p3)", account, device, kind, (long)taken.Id);
        return taken;
    }
}
