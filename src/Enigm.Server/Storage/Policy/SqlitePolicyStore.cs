using Enigm.Server.Storage.Sqlite;
using Enigm.Trust.Policy;
using Microsoft.Data.Sqlite;
using static Enigm.Server.Storage.Sqlite.SqliteCommands;

namespace Enigm.Server.Storage.Policy;

/// <summary>
/// <see cref="IPolicyStore"/> in the relay's SQLite file, through the relay store's single writer (group commit, one
/// transaction per call) and its read pool. Tables: <c>org_key</c>, <c>org_policy</c>, <c>admin_audit</c>,
/// <c>device_compliance</c> (created by <see cref="CreateTables"/> from the relay store's migration).
/// </summary>
internal sealed class SqlitePolicyStore(SqliteWriter writer, SqliteReaders readers) : IPolicyStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS org_key (
            id  INTEGER PRIMARY KEY CHECK (id = 1),
            key BLOB NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS org_policy (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            signed  BLOB    NOT NULL,
            version INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS admin_audit (
            sequence      INTEGER PRIMARY KEY NOT NULL,
            time_ms       INTEGER NOT NULL,
            event         TEXT    NOT NULL,
            key_id        TEXT,
            detail        TEXT    NOT NULL,
            previous_hash BLOB    NOT NULL,
            hash          BLOB    NOT NULL,
            action        BLOB    NOT NULL,
            account       TEXT,
            device        TEXT
        ) STRICT;
        CREATE INDEX IF NOT EXISTS admin_audit_device ON admin_audit (account, device, sequence);
        CREATE TABLE IF NOT EXISTS device_compliance (
            account      TEXT    NOT NULL,
            device       TEXT    NOT NULL,
            posture      BLOB,
            issued_ms    INTEGER,
            received_ms  INTEGER,
            state        INTEGER,
            reasons      TEXT,
            evaluated_ms INTEGER,
            PRIMARY KEY (account, device)
        ) STRICT;
        """;

    /// <summary>Creates the tables if missing (idempotent; called inside the relay store's migration transaction).</summary>
    public static void CreateTables(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, transaction, Schema);

    // Every submit asks for the organisation key (ComplianceService), and most relays have none: one SQLite read per
    // message (≈ 5 % of the relay's CPU at 10,000 msg/s, docs/benchmarks.md "Sixth pass"). The row, and its absence, go
    // through the relay's read cache (exact for this process's writes: SetOrganisationKeyAsync reports its change before
    // its caller is answered; another process's write is seen within SqliteReadCache's MaxAge). The absence is cached as
    // a row whose key is null, since the read cache keeps only rows that exist.
    private readonly SqliteReadCache<OrganisationKeyRow> _organisationKey = new();

    public Task<byte[]?> GetOrganisationKeyAsync(CancellationToken ct = default)
    {
        var row = _organisationKey.GetOrRead("org_key", () => new OrganisationKeyRow(readers.Read(c => Blob(c, "SELECT key FROM org_key WHERE id = 1"))))!;
        return Task.FromResult(row.Key?.ToArray());
    }

    public async Task<bool> SetOrganisationKeyAsync(byte[] encodedKey, CancellationToken ct = default)
    {
        try
        {
            return await writer.WriteAsync((c, tx) =>
            {
                Execute(c, tx, "INSERT OR IGNORE INTO org_key (id, key) VALUES (1, $p0)", encodedKey);
                using var command = Command(c, tx, "SELECT key FROM org_key WHERE id = 1");
                return command.ExecuteScalar() is byte[] stored && stored.AsSpan().SequenceEqual(encodedKey);
            }, ct).ConfigureAwait(false);
        }
        finally
        {
            // Committed or not: an absence read before this point is not served again.
            _organisationKey.Changed();
        }
    }

    public Task<StoredPolicy?> GetPolicyAsync(CancellationToken ct = default) =>
        Task.FromResult(readers.Read(c =>
        {
            using var command = Command(c, null, "SELECT signed, version FROM org_policy WHERE id = 1");
            using var reader = command.ExecuteReader();
            return reader.Read() ? new StoredPolicy((byte[])reader.GetValue(0), (ulong)reader.GetInt64(1)) : null;
        }));

    public Task<AdminAuditRecord?> GetAuditHeadAsync(CancellationToken ct = default) =>
        Task.FromResult(readers.Read(c => Head(c, null)));

    public Task<IReadOnlyList<AdminAuditRecord>> ReadAuditAsync(long after, int limit, CancellationToken ct = default) =>
        Task.FromResult(readers.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM admin_audit WHERE sequence > $p0 ORDER BY sequence LIMIT $p1", after, limit);
            return Records(command);
        }));

    public Task<IReadOnlyList<byte[]>> ReadDeviceActionsAsync(string account, string device, CancellationToken ct = default) =>
        Task.FromResult(readers.Read(c =>
        {
            using var command = Command(c, null, "SELECT action FROM admin_audit WHERE account = $p0 AND device = $p1 ORDER BY sequence", account, device);
            using var reader = command.ExecuteReader();
            var actions = new List<byte[]>();
            while (reader.Read()) actions.Add((byte[])reader.GetValue(0));
            return (IReadOnlyList<byte[]>)actions;
        }));

    public Task<AppendOutcome> AppendAsync(AdminAuditRecord record, string? account, string? device, StoredPolicy? policy, CancellationToken ct = default) =>
        writer.WriteAsync((c, tx) =>
        {
            var head = Head(c, tx);
            var expected = head?.Hash ?? new byte[32];
            if ((head?.Sequence ?? 0) + 1 != record.Sequence || !expected.AsSpan().SequenceEqual(record.PreviousHash)) return AppendOutcome.HeadMoved;
            if (policy is not null)
            {
                if (Scalar(c, tx, "SELECT coalesce(max(version), -1) FROM org_policy") >= (long)policy.Version) return AppendOutcome.PolicyNotNewer;
                Execute(c, tx, "INSERT INTO org_policy (id, signed, version) VALUES (1, $p0, $p1) ON CONFLICT (id) DO UPDATE SET signed = excluded.signed, version = excluded.version",
                    policy.Signed, (long)policy.Version);
            }

            Execute(c, tx, """
                INSERT INTO admin_audit (sequence, time_ms, event, key_id, detail, previous_hash, hash, action, account, device)
                VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9)
                """,
                record.Sequence, Millis(record.Time), record.Event, record.KeyId, record.Detail, record.PreviousHash, record.Hash, record.Action, account, device);
            if (account is not null && device is not null)
                Execute(c, tx, "INSERT OR IGNORE INTO device_compliance (account, device) VALUES ($p0, $p1)", account, device);
            return AppendOutcome.Appended;
        }, ct);

    public Task<bool> PutPostureAsync(string account, string device, byte[] posture, DateTimeOffset issuedAt, DateTimeOffset receivedAt, CancellationToken ct = default) =>
        writer.WriteAsync((c, tx) =>
            Execute(c, tx, """
                INSERT INTO device_compliance (account, device, posture, issued_ms, received_ms) VALUES ($p0, $p1, $p2, $p3, $p4)
                ON CONFLICT (account, device) DO UPDATE SET posture = excluded.posture, issued_ms = excluded.issued_ms, received_ms = excluded.received_ms
                WHERE device_compliance.issued_ms IS NULL OR device_compliance.issued_ms < excluded.issued_ms
                """, account, device, posture, Millis(issuedAt), Millis(receivedAt)) > 0, ct);

    public Task<StoredPosture?> GetPostureAsync(string account, string device, CancellationToken ct = default) =>
        Task.FromResult(readers.Read(c =>
        {
            using var command = Command(c, null, "SELECT posture, issued_ms, received_ms FROM device_compliance WHERE account = $p0 AND device = $p1 AND posture IS NOT NULL", account, device);
            using var reader = command.ExecuteReader();
            return reader.Read() ? new StoredPosture(account, device, (byte[])reader.GetValue(0), Time(reader.GetInt64(1)), Time(reader.GetInt64(2))) : null;
        }));

    public Task SetComplianceAsync(string account, string device, ComplianceState state, string reasonsJson, DateTimeOffset evaluatedAt, CancellationToken ct = default) =>
        writer.WriteAsync((c, tx) => Execute(c, tx, """
            INSERT INTO device_compliance (account, device, state, reasons, evaluated_ms) VALUES ($p0, $p1, $p2, $p3, $p4)
            ON CONFLICT (account, device) DO UPDATE SET state = excluded.state, reasons = excluded.reasons, evaluated_ms = excluded.evaluated_ms
            """, account, device, (long)state, reasonsJson, Millis(evaluatedAt)), ct);

    public Task<IReadOnlyList<StoredCompliance>> ListComplianceAsync(int limit, CancellationToken ct = default) =>
        Task.FromResult(readers.Read(c =>
        {
            using var command = Command(c, null, "SELECT account, device, state, reasons, evaluated_ms, issued_ms FROM device_compliance ORDER BY account, device LIMIT $p0", limit);
            using var reader = command.ExecuteReader();
            var rows = new List<StoredCompliance>();
            while (reader.Read())
            {
                rows.Add(new StoredCompliance(reader.GetString(0), reader.GetString(1),
                    reader.IsDBNull(2) ? null : (ComplianceState)reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : Time(reader.GetInt64(4)),
                    reader.IsDBNull(5) ? null : Time(reader.GetInt64(5))));
            }

            return (IReadOnlyList<StoredCompliance>)rows;
        }));

    private const string Columns = "sequence, time_ms, event, key_id, detail, previous_hash, hash, action";

    private static AdminAuditRecord? Head(SqliteConnection c, SqliteTransaction? tx)
    {
        using var command = Command(c, tx, $"SELECT {Columns} FROM admin_audit ORDER BY sequence DESC LIMIT 1");
        return Records(command) is [var head] ? head : null;
    }

    private static IReadOnlyList<AdminAuditRecord> Records(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var records = new List<AdminAuditRecord>();
        while (reader.Read())
        {
            records.Add(new AdminAuditRecord(reader.GetInt64(0), Time(reader.GetInt64(1)), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                (byte[])reader.GetValue(5), (byte[])reader.GetValue(6), (byte[])reader.GetValue(7)));
        }

        return records;
    }

    private static byte[]? Blob(SqliteConnection c, string sql)
    {
        using var command = Command(c, null, sql);
        return command.ExecuteScalar() as byte[];
    }

    /// <summary>The organisation key row as read; <c>Key</c> is null when no key is set.</summary>
    private sealed record OrganisationKeyRow(byte[]? Key);
}
