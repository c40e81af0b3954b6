using System.Data;
using Enigm.Trust.Policy;
using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Policy;

/// <summary>
/// <see cref="IPolicyStore"/> on PostgreSQL, sharing the relay store's pooled data source (and its schema). Appends to
/// the admin audit log take a transaction-scoped advisory lock, so relay nodes sharing the database extend one chain.
/// </summary>
internal sealed class PostgresPolicyStore(NpgsqlDataSource dataSource, string schema) : IPolicyStore
{
    private volatile byte[]? _organisationKey;

    private static readonly string[] Statements =
    [
        "CREATE TABLE IF NOT EXISTS org_key (id int PRIMARY KEY CHECK (id = 1), key bytea NOT NULL)",
        "CREATE TABLE IF NOT EXISTS org_policy (id int PRIMARY KEY CHECK (id = 1), signed bytea NOT NULL, version bigint NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS admin_audit (
            sequence bigint PRIMARY KEY, time_ms bigint NOT NULL, event text NOT NULL, key_id text, detail text NOT NULL,
            previous_hash bytea NOT NULL, hash bytea NOT NULL, action bytea NOT NULL, account text, device text)
        """,
        "CREATE INDEX IF NOT EXISTS admin_audit_device ON admin_audit (account, device, sequence)",
        """
        CREATE TABLE IF NOT EXISTS device_compliance (
            account text NOT NULL, device text NOT NULL, posture bytea, issued_ms bigint, received_ms bigint,
            state int, reasons text, evaluated_ms bigint, PRIMARY KEY (account, device))
        """,
    ];

    private const string Columns = "sequence, time_ms, event, key_id, detail, previous_hash, hash, action";

    /// <summary>Creates the tables if missing, under an advisory lock so nodes starting together do it once.</summary>
    public Task MigrateAsync(CancellationToken ct) =>
        TransactAsync(async (c, tx) =>
        {
            await ExecuteAsync(c, tx, "SELECT pg_advisory_xact_lock(hashtext($1))", ct, "enigm-policy-schema:" + schema).ConfigureAwait(false);
            foreach (var statement in Statements) await ExecuteAsync(c, tx, statement, ct).ConfigureAwait(false);
            return true;
        }, ct);

    public async Task<byte[]?> GetOrganisationKeyAsync(CancellationToken ct = default)
    {
        // Every submit asks (ComplianceService). The key is set once and never replaced or removed (the insert below
        // does nothing when a key exists), so a node's copy of a key it has read stays exact and the database is
        // asked only until the key exists. Callers get their own copy.
        if (_organisationKey is { } known) return known.ToArray();
        // One statement without BEGIN/COMMIT: one round trip instead of two (it ran on every submit until a key exists).
        byte[]? read;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            read = await ScalarAsync(connection, null, "SELECT key FROM org_key WHERE id = 1", ct).ConfigureAwait(false) as byte[];
        }
        catch (NpgsqlException e)
        {
            throw new RelayStoreException($"the relay database failed: {e.Message}", e);
        }

        if (read is not null) _organisationKey = read.ToArray();
        return read;
    }

    public Task<bool> SetOrganisationKeyAsync(byte[] encodedKey, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await ExecuteAsync(c, tx, "INSERT INTO org_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", ct, encodedKey).ConfigureAwait(false);
            return await ScalarAsync(c, tx, "SELECT key FROM org_key WHERE id = 1", ct).ConfigureAwait(false) is byte[] stored && stored.AsSpan().SequenceEqual(encodedKey);
        }, ct);

    public Task<StoredPolicy?> GetPolicyAsync(CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, "SELECT signed, version FROM org_policy WHERE id = 1");
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? new StoredPolicy((byte[])reader.GetValue(0), (ulong)reader.GetInt64(1)) : null;
        }, ct);

    public Task<AdminAuditRecord?> GetAuditHeadAsync(CancellationToken ct = default) =>
        TransactAsync((c, tx) => HeadAsync(c, tx, ct), ct);

    public Task<IReadOnlyList<AdminAuditRecord>> ReadAuditAsync(long after, int limit, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, $"SELECT {Columns} FROM admin_audit WHERE sequence > $1 ORDER BY sequence LIMIT $2", after, (long)limit);
            return await RecordsAsync(command, ct).ConfigureAwait(false);
        }, ct);

    public Task<IReadOnlyList<byte[]>> ReadDeviceActionsAsync(string account, string device, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, "SELECT action FROM admin_audit WHERE account = $1 AND device = $2 ORDER BY sequence", account, device);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var actions = new List<byte[]>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) actions.Add((byte[])reader.GetValue(0));
            return (IReadOnlyList<byte[]>)actions;
        }, ct);

    public Task<AppendOutcome> AppendAsync(AdminAuditRecord record, string? account, string? device, StoredPolicy? policy, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await ExecuteAsync(c, tx, "SELECT pg_advisory_xact_lock(hashtext($1))", ct, "enigm-admin-audit:" + schema).ConfigureAwait(false);
            var head = await HeadAsync(c, tx, ct).ConfigureAwait(false);
            var expected = head?.Hash ?? new byte[32];
            if ((head?.Sequence ?? 0) + 1 != record.Sequence || !expected.AsSpan().SequenceEqual(record.PreviousHash)) return AppendOutcome.HeadMoved;
            if (policy is not null)
            {
                var current = await ScalarAsync(c, tx, "SELECT version FROM org_policy WHERE id = 1", ct).ConfigureAwait(false) as long?;
                if (current >= (long)policy.Version) return AppendOutcome.PolicyNotNewer;
                await ExecuteAsync(c, tx, "INSERT INTO org_policy (id, signed, version) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET signed = excluded.signed, version = excluded.version",
                    ct, policy.Signed, (long)policy.Version).ConfigureAwait(false);
            }

            await ExecuteAsync(c, tx, """
                INSERT INTO admin_audit (sequence, time_ms, event, key_id, detail, previous_hash, hash, action, account, device)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """, ct, record.Sequence, Millis(record.Time), record.Event, (object?)record.KeyId ?? DBNull.Value, record.Detail,
                record.PreviousHash, record.Hash, record.Action, (object?)account ?? DBNull.Value, (object?)device ?? DBNull.Value).ConfigureAwait(false);
            if (account is not null && device is not null)
                await ExecuteAsync(c, tx, "INSERT INTO device_compliance (account, device) VALUES ($1, $2) ON CONFLICT DO NOTHING", ct, account, device).ConfigureAwait(false);
            return AppendOutcome.Appended;
        }, ct);

    public Task<bool> PutPostureAsync(string account, string device, byte[] posture, DateTimeOffset issuedAt, DateTimeOffset receivedAt, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) => await ExecuteAsync(c, tx, """
            INSERT INTO device_compliance (account, device, posture, issued_ms, received_ms) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (account, device) DO UPDATE SET posture = excluded.posture, issued_ms = excluded.issued_ms, received_ms = excluded.received_ms
            WHERE device_compliance.issued_ms IS NULL OR device_compliance.issued_ms < excluded.issued_ms
            """, ct, account, device, posture, Millis(issuedAt), Millis(receivedAt)).ConfigureAwait(false) > 0, ct);

    public Task<StoredPosture?> GetPostureAsync(string account, string device, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, "SELECT posture, issued_ms, received_ms FROM device_compliance WHERE account = $1 AND device = $2 AND posture IS NOT NULL", account, device);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false)
                ? new StoredPosture(account, device, (byte[])reader.GetValue(0), Time(reader.GetInt64(1)), Time(reader.GetInt64(2)))
                : null;
        }, ct);

    public Task SetComplianceAsync(string account, string device, ComplianceState state, string reasonsJson, DateTimeOffset evaluatedAt, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) => await ExecuteAsync(c, tx, """
            INSERT INTO device_compliance (account, device, state, reasons, evaluated_ms) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (account, device) DO UPDATE SET state = excluded.state, reasons = excluded.reasons, evaluated_ms = excluded.evaluated_ms
            """, ct, account, device, (int)state, reasonsJson, Millis(evaluatedAt)).ConfigureAwait(false), ct);

    public Task<IReadOnlyList<StoredCompliance>> ListComplianceAsync(int limit, CancellationToken ct = default) =>
        TransactAsync(async (c, tx) =>
        {
            await using var command = Command(c, tx, "SELECT account, device, state, reasons, evaluated_ms, issued_ms FROM device_compliance ORDER BY account, device LIMIT $1", (long)limit);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var rows = new List<StoredCompliance>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(new StoredCompliance(reader.GetString(0), reader.GetString(1),
                    reader.IsDBNull(2) ? null : (ComplianceState)reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : Time(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : Time(reader.GetInt64(5))));
            }

            return (IReadOnlyList<StoredCompliance>)rows;
        }, ct);

    private static async Task<AdminAuditRecord?> HeadAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = Command(c, tx, $"SELECT {Columns} FROM admin_audit ORDER BY sequence DESC LIMIT 1");
        return await RecordsAsync(command, ct).ConfigureAwait(false) is [var head] ? head : null;
    }

    private static async Task<IReadOnlyList<AdminAuditRecord>> RecordsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var records = new List<AdminAuditRecord>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            records.Add(new AdminAuditRecord(reader.GetInt64(0), Time(reader.GetInt64(1)), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                (byte[])reader.GetValue(5), (byte[])reader.GetValue(6), (byte[])reader.GetValue(7)));
        }

        return records;
    }

    private async Task<T> TransactAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return result;
        }
        catch (NpgsqlException e)
        {
            throw new RelayStoreException($"the relay database failed: {e.Message}", e);
        }
    }
}
