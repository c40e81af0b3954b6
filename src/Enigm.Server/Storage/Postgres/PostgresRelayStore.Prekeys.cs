using Enigm.Relay;
using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

// Prekeys across nodes. A handout takes the bundle row FOR SHARE (handouts run in parallel) and deletes the lowest
// unlocked key with FOR UPDATE SKIP LOCKED (parallel handouts get different keys), remembering its id in the same
// statement. An upload takes the bundle row exclusively (its upsert), so it waits for running handouts to commit
// and its "not handed out before" check then sees them: an id handed out is never re-added.
public sealed partial class PostgresRelayStore
{
    private const short X25519Kind = 0;
    private const short KemKind = 1;

    private const string TakeOneSql = """
        WITH taken AS (
            DELETE FROM one_time_prekeys
            WHERE (account, device, kind, id) IN (
                SELECT account, device, kind, id FROM one_time_prekeys
                WHERE account = $1 AND device = $2 AND kind = $3
                ORDER BY id LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING account, device, kind, id, key),
        remembered AS (
            INSERT INTO handed_out_prekeys (account, device, kind, id) SELECT account, device, kind, id FROM taken)
        SELECT id, key FROM taken
        """;

    public Task StorePrekeysAsync(string account, string device, byte[] bundle, IReadOnlyList<OneTimePrekey> oneTimePrekeys, IReadOnlyList<OneTimePrekey> oneTimeKemPrekeys, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await ExecuteAsync(c, tx, "INSERT INTO bundles (account, device, bundle) VALUES ($1, $2, $3) ON CONFLICT (account, device) DO UPDATE SET bundle = EXCLUDED.bundle",
                ct, account, device, bundle).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(c, tx);
            batch.BatchCommands.Add(BatchCommand("DELETE FROM one_time_prekeys WHERE account = $1 AND device = $2 AND kind = $3", account, device, KemKind));
            AddUnlessHandedOut(batch, account, device, X25519Kind, oneTimePrekeys);
            AddUnlessHandedOut(batch, account, device, KemKind, oneTimeKemPrekeys);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return true;
        }, ct);

    public Task<BundleResponse?> TakeBundleAsync(string account, string device, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            if (await ScalarAsync(c, tx, "SELECT bundle FROM bundles WHERE account = $1 AND device = $2 FOR SHARE", ct, account, device).ConfigureAwait(false) is not byte[] bundle)
                return null;
            var x = await TakeOneAsync(c, tx, account, device, X25519Kind, ct).ConfigureAwait(false);
            var kem = await TakeOneAsync(c, tx, account, device, KemKind, ct).ConfigureAwait(false);
            return new BundleResponse(account, device, bundle, x, kem);
        }, ct);

    public Task<PrekeyCountResponse> CountPrekeysAsync(string account, string device, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, """
                SELECT (SELECT count(*) FROM one_time_prekeys WHERE account = $1 AND device = $2 AND kind = 0),
                       (SELECT count(*) FROM one_time_prekeys WHERE account = $1 AND device = $2 AND kind = 1),
                       EXISTS (SELECT 1 FROM bundles WHERE account = $1 AND device = $2)
                """, account, device);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return new PrekeyCountResponse((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetBoolean(2));
        }, ct);

    private static void AddUnlessHandedOut(NpgsqlBatch batch, string account, string device, short kind, IReadOnlyList<OneTimePrekey> keys)
    {
        foreach (var key in keys)
        {
            batch.BatchCommands.Add(BatchCommand("""
                INSERT INTO one_time_prekeys (account, device, kind, id, key)
                SELECT $1, $2, $3, $4, $5
                WHERE NOT EXISTS (SELECT 1 FROM handed_out_prekeys WHERE account = $1 AND device = $2 AND kind = $3 AND id = $4)
                ON CONFLICT (account, device, kind, id) DO UPDATE SET key = EXCLUDED.key
                """, account, device, kind, (long)key.Id, key.Key));
        }
    }

    private static async Task<OneTimePrekey?> TakeOneAsync(NpgsqlConnection c, NpgsqlTransaction tx, string account, string device, short kind, CancellationToken ct)
    {
        await using var command = Command(c, tx, TakeOneSql, account, device, kind);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? new OneTimePrekey((uint)reader.GetInt64(0), (byte[])reader[1]) : null;
    }
}
