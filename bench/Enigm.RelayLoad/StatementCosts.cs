using System.Diagnostics;
using System.Globalization;
using Enigm.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Enigm.RelayLoad;

/// <summary>
/// The mailbox statements in isolation, on one thread, without fsync (<c>synchronous=OFF</c>, no checkpoint): what a
/// group commit of <see cref="Batch"/> messages (one per mailbox, as 100 clients produce) costs the writer thread, and
/// how many WAL bytes it writes per message (each page a commit dirties is one WAL frame, whatever it changed in it).
/// The schema is the relay's own (created by <see cref="SqliteRelayStore.MigrateAsync"/>).
/// </summary>
internal static class StatementCosts
{
    private const int Batch = 100;
    private const int Batches = 200;

    /// <summary>Schema 2 kept each mailbox's depth in a table, by triggers; schema 3 (the relay's now) keeps it in memory.</summary>
    private const string Schema2DepthTriggers = """
        CREATE TABLE mailbox_depth (account TEXT NOT NULL, device TEXT NOT NULL, messages INTEGER NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY (account, device)) WITHOUT ROWID;
        CREATE TRIGGER messages_depth_insert AFTER INSERT ON messages BEGIN
            INSERT INTO mailbox_depth (account, device, messages, bytes) VALUES (NEW.account, NEW.device, 1, length(NEW.body))
            ON CONFLICT (account, device) DO UPDATE SET messages = messages + 1, bytes = bytes + length(NEW.body);
        END;
        CREATE TRIGGER messages_depth_delete AFTER DELETE ON messages BEGIN
            UPDATE mailbox_depth SET messages = messages - 1, bytes = bytes - length(OLD.body) WHERE account = OLD.account AND device = OLD.device;
        END;
        """;

    private static readonly (string Name, int PageSize, string Change)[] Variants =
    [
        ("schema 2 (depth triggers, SELECT depth per insert)", 4096, Schema2DepthTriggers),
        ("schema 3 (depths in memory)", 4096, ""),
        ("schema 3, page 1024", 1024, ""),
        ("schema 3 without messages_by_age", 4096, "DROP INDEX messages_by_age;"),
    ];

    public static async Task RunAsync(int bodyBytes)
    {
        Console.WriteLine($"# mailbox statements alone: {Batches} transactions of {Batch} messages ({bodyBytes} B bodies) over {Batch} mailboxes, one thread, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| schema | statement | µs per message (wall) | µs per message (CPU) | WAL KiB per message |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, pageSize, change) in Variants)
            await MeasureAsync(name, pageSize, bodyBytes, change);
    }

    private static async Task MeasureAsync(string name, int pageSize, int bodyBytes, string change)
    {
        var folder = RelayTargets.TempFolder();
        try
        {
            var path = Path.Combine(folder, "relay.db");
            using (var create = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                create.Open();
                Run(create, $"PRAGMA page_size = {pageSize}; PRAGMA journal_mode = WAL;");
            }

            await using (var store = new SqliteRelayStore(path)) await store.MigrateAsync();
            using var c = new SqliteConnection($"Data Source={path};Pooling=False");
            c.Open();
            Run(c, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA wal_autocheckpoint = 0;");
            if (change.Length > 0) Run(c, change);
            var accounts = Enumerable.Range(0, Batch).Select(i => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))).ToLowerInvariant()).ToArray();
            var body = new byte[bodyBytes];

            using var insert = c.CreateCommand();
            insert.CommandText = "INSERT OR IGNORE INTO messages (account, device, message_id, body, received_at) VALUES ($a, 'phone', $m, $b, $t) RETURNING seq";
            var a = insert.Parameters.Add("$a", SqliteType.Text);
            var m = insert.Parameters.Add("$m", SqliteType.Blob);
            insert.Parameters.AddWithValue("$b", body);
            var t = insert.Parameters.Add("$t", SqliteType.Integer);
            insert.Prepare();
            var schema2 = change == Schema2DepthTriggers;
            using var depth = c.CreateCommand();
            depth.CommandText = schema2 ? "SELECT messages FROM mailbox_depth WHERE account = $a AND device = 'phone'" : "SELECT 0";
            var da = depth.Parameters.Add("$a", SqliteType.Text);
            depth.Prepare();
            using var ack = c.CreateCommand();
            ack.CommandText = "DELETE FROM messages WHERE seq IN (SELECT value FROM json_each($s)) AND account = $a AND device = 'phone'";
            var s = ack.Parameters.Add("$s", SqliteType.Text);
            var aa = ack.Parameters.Add("$a", SqliteType.Text);
            ack.Prepare();
            using var ackAll = c.CreateCommand();
            ackAll.CommandText = "DELETE FROM messages WHERE seq IN (SELECT m.seq FROM json_each($s) j JOIN messages m ON m.seq = j.value ->> 0 AND m.account = j.value ->> 1 AND m.device = j.value ->> 2)";
            var sAll = ackAll.Parameters.Add("$s", SqliteType.Text);
            ackAll.Prepare();

            // Steady state as under live delivery: each round inserts one message per mailbox and acks the previous
            // round's, so mailboxes stay shallow. Round 0 is the warm-up.
            var previous = new List<(string Account, long Seq)>();
            var current = new List<(string Account, long Seq)>();
            var costs = new double[4, 3];
            for (var round = 0; round <= Batches; round++)
            {
                var insertCost = Time(c, () =>
                {
                    using var tx = c.BeginTransaction();
                    insert.Transaction = tx;
                    foreach (var account in accounts)
                    {
                        a.Value = account;
                        m.Value = Guid.NewGuid().ToByteArray();
                        t.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                        current.Add((account, (long)insert.ExecuteScalar()!));
                    }

                    tx.Commit();
                });
                var depthCost = Time(c, () =>
                {
                    using var tx = c.BeginTransaction();
                    depth.Transaction = tx;
                    foreach (var account in accounts)
                    {
                        da.Value = account;
                        depth.ExecuteScalar();
                    }

                    tx.Commit();
                });
                var ackCost = Time(c, () =>
                {
                    using var tx = c.BeginTransaction();
                    if (round % 2 == 0)
                    {
                        ack.Transaction = tx;
                        foreach (var (account, seq) in previous)
                        {
                            s.Value = "[" + seq.ToString(CultureInfo.InvariantCulture) + "]";
                            aa.Value = account;
                            ack.ExecuteNonQuery();
                        }
                    }
                    else
                    {
                        ackAll.Transaction = tx;
                        sAll.Value = "[" + string.Join(',', previous.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.Seq},\"{p.Account}\",\"phone\"]"))) + "]";
                        if (ackAll.ExecuteNonQuery() != previous.Count) throw new InvalidOperationException("the batched ack missed rows");
                    }

                    tx.Commit();
                });
                (previous, current) = (current, previous);
                current.Clear();
                if (round == 0) continue;
                Add(costs, 0, insertCost);
                Add(costs, 1, depthCost);
                Add(costs, round % 2 == 0 ? 2 : 3, ackCost);
            }

            Print(name, "INSERT OR IGNORE … RETURNING seq", costs, 0, Batches);
            if (schema2) Print(name, "SELECT depth of each mailbox (cap check)", costs, 1, Batches);
            Print(name, "DELETE, one statement per ack of 1 seq", costs, 2, Batches / 2);
            Print(name, "DELETE, one statement for the whole batch", costs, 3, Batches / 2);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Add(double[,] costs, int row, (double Wall, double Cpu, double Wal) cost)
    {
        costs[row, 0] += cost.Wall;
        costs[row, 1] += cost.Cpu;
        costs[row, 2] += cost.Wal;
    }

    private static void Print(string schema, string statement, double[,] costs, int row, int batches)
    {
        var messages = (double)batches * Batch;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {schema} | {statement} | {costs[row, 0] / messages:F1} | {costs[row, 1] / messages:F1} | {costs[row, 2] / 1024.0 / messages:F2} |"));
    }

    private static (double Wall, double Cpu, double Wal) Time(SqliteConnection c, Action transaction)
    {
        var wal = c.DataSource + "-wal";
        var walBefore = WalBytes(wal);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        transaction();
        return (clock.Elapsed.TotalMicroseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds, WalBytes(wal) - walBefore);
    }

    private static long WalBytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static void Run(SqliteConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
