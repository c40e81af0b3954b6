using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Storage;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.RelayLoad;

/// <summary>
/// Where a submit's time goes: each step the relay performs for one submit and its delivery, run alone on the SQLite
/// store in process by <c>clients</c> concurrent tasks for <c>seconds</c>. Reported as capacity (operations per second)
/// and its inverse (microseconds of the machine per operation), then weighted by how often a submit does each step.
/// </summary>
internal static class SubmitBreakdown
{
    /// <param name="db">null: SQLite in a temporary folder; else a <c>postgres:CONNSTR</c> (a fresh schema is made).</param>
    public static async Task RunAsync(int clients, double seconds, string? db)
    {
        var folder = RelayTargets.TempFolder();
        try
        {
            await using var store = db is null ? new SqliteRelayStore(Path.Combine(folder, "relay.db")) : RelayStoreSpec.Open(db);
            await store.MigrateAsync();
            var now = DateTimeOffset.UtcNow;
            var tokens = new byte[clients][];
            for (var i = 0; i < clients; i++)
            {
                await store.CreateAccountAsync("account" + i, RandomNumberGenerator.GetBytes(3000), [new StoredDevice("phone", false)], now);
                tokens[i] = RandomNumberGenerator.GetBytes(32);
                await store.StoreTokenAsync(tokens[i], "account" + i, "phone", now.AddHours(1));
            }

            var body = new byte[LoadClient.BodyBytes];
            var json = JsonSerializer.SerializeToUtf8Bytes(new SubmitRequest("account1", [new OutgoingMessage("phone", new byte[16], body)]), RelayJson.Default.SubmitRequest);
            var steps = new (string Name, double PerSubmit, Func<int, Task> Step)[]
            {
                ("JSON: parse the submit body, write the response", 1, _ =>
                {
                    var request = JsonSerializer.Deserialize(json, RelayJson.Default.SubmitRequest)!;
                    JsonSerializer.SerializeToUtf8Bytes(new SubmitResponse(request.Messages.Length, now), RelayJson.Default.SubmitResponse);
                    return Task.CompletedTask;
                }),
                ("auth: token lookup by SHA-256", 1, i => store.LookupTokenAsync(tokens[i], now)),
                ("account reads (sender on auth, recipient's devices)", 2, i => store.GetAccountAsync("account" + i)),
                ("store commit: EnqueueAsync (group commit)", 1, i => store.EnqueueAsync("account" + i, [new OutgoingMessage("phone", Guid.NewGuid().ToByteArray(), body)], now)),
                ("signal fan-out: PublishAsync", 1, i => store.PublishAsync(new RelaySignal(RelaySignalKind.NewMessage, "account" + i, "phone"))),
                ("delivery: FetchAsync after a wake (past the last seq seen)", 1, i => store.FetchAsync("account" + i, "phone", long.MaxValue - 1, 100)),
                ("delivery: AckAsync of 1 seq (with the 1-row fetch that finds it)", 1, async i =>
                {
                    var batch = await store.FetchAsync("account" + i, "phone", 0, 1);
                    if (batch.Count > 0) await store.AckAsync("account" + i, "phone", [batch[0].Seq]);
                }),
            };

            Console.WriteLine($"# submit breakdown: {store.Kind} store in process, {clients} concurrent tasks, {seconds} s per step, load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| step | per submit | ops/s | µs per op | µs per submit |");
            Console.WriteLine("|---|---|---|---|---|");
            var total = 0.0;
            foreach (var (name, perSubmit, step) in steps)
            {
                var opsPerSecond = await MeasureAsync(clients, seconds, step);
                var micros = 1e6 / opsPerSecond;
                total += micros * perSubmit;
                Console.WriteLine(FormattableString.Invariant($"| {name} | {perSubmit} | {opsPerSecond:F0} | {micros:F1} | {micros * perSubmit:F1} |"));
            }

            Console.WriteLine(FormattableString.Invariant($"| sum (the relay's own work per message, before HTTP and WebSocket) | | {1e6 / total:F0} | | {total:F1} |"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<double> MeasureAsync(int clients, double seconds, Func<int, Task> step)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await step(i);
                Interlocked.Increment(ref count);
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }
}
