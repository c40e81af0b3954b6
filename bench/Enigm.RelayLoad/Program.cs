using System.Globalization;
using Enigm.RelayLoad;
using Npgsql;

// Relay load tool (docs/benchmarks.md, "Relay"): usage in Program.Usage below, printed by --help.
if (args.Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(Usage);
    return 0;
}

if (args is ["serve", var serveDb, var serveData])
{
    await RelayTargets.ServeAsync(serveDb, serveData);
    return 0;
}

Dictionary<string, string> options;
try
{
    options = ParseOptions(args.SkipWhile(a => a is "breakdown" or "statements").ToArray());
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (args is ["statements", ..])
{
    await StatementCosts.RunAsync(int.Parse(options.GetValueOrDefault("body", "1024"), CultureInfo.InvariantCulture));
    return 0;
}

var clients = int.Parse(options.GetValueOrDefault("clients", "100"), CultureInfo.InvariantCulture);
var seconds = double.Parse(options.GetValueOrDefault("seconds", "15"), CultureInfo.InvariantCulture);
if (args is ["breakdown", ..])
{
    var on = options.GetValueOrDefault("postgres");
    var schema = RelayTargets.FreshSchema();
    await SubmitBreakdown.RunAsync(clients, seconds, on is null ? null : "postgres:" + new NpgsqlConnectionStringBuilder(on) { SearchPath = schema }.ConnectionString);
    if (on is not null) await DropSchemaAsync(on, schema);
    return 0;
}

var targets = options.GetValueOrDefault("targets", "bare,bare-ws,sqlite,sqlite-process,postgres,postgres-2nodes").Split(',');
var transports = options.GetValueOrDefault("transport", "http").Split(',');
if (transports.Any(t => t is not ("http" or "ws"))) throw new ArgumentException("--transport is http or ws");
var windows = options.GetValueOrDefault("window", "1").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
if (windows.Any(w => w is < 1 or > 64)) throw new ArgumentException("--window is 1 to 64 (the relay answers 64 in flight per connection)");
var postgres = options.GetValueOrDefault("postgres") ?? Environment.GetEnvironmentVariable("ENIGM_POSTGRES");
var half = !options.ContainsKey("no-half");
double? fixedRate = options.TryGetValue("rate", out var rateText) ? double.Parse(rateText, CultureInfo.InvariantCulture) : null;
var traced = options.ContainsKey("trace");

Console.WriteLine($"# {clients} clients, {seconds} s per run, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine("| target | offered msg/s | submits/s | delivered msg/s | p50 ms | p99 ms | failed | vs bare |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
double? bare = null;
foreach (var name in targets)
{
    if (name.StartsWith("postgres", StringComparison.Ordinal) && string.IsNullOrEmpty(postgres))
    {
        Console.WriteLine($"| {name} | skipped: no --postgres or ENIGM_POSTGRES | | | | | | |");
        continue;
    }

    var folder = RelayTargets.TempFolder();
    var schema = RelayTargets.FreshSchema();
    var pgSpec = postgres is null ? null : "postgres:" + new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema, MaxPoolSize = 64 }.ConnectionString;
    try
    {
        await using var target = name switch
        {
            "bare" => await RelayTargets.BareAsync(),
            "bare-ws" => await RelayTargets.BareWebSocketAsync(),
            "sqlite" => await RelayTargets.EmbeddedAsync("SQLite, in process", "sqlite:" + Path.Combine(folder, "relay.db"), folder),
            "sqlite-process" => await RelayTargets.ProcessesAsync("SQLite, separate process", "sqlite:" + Path.Combine(folder, "relay.db"), folder, 1),
            "postgres" => await RelayTargets.EmbeddedAsync("PostgreSQL, in process", pgSpec!, folder),
            "postgres-2nodes" => await RelayTargets.ProcessesAsync("PostgreSQL, 2 node processes", pgSpec!, folder, 2),
            _ => throw new ArgumentException("unknown target " + name),
        };
        var relay = !name.StartsWith("bare", StringComparison.Ordinal);
        LoadClient.CreateRetries = LoadClient.CreatedDespite503 = 0;
        var loaded = await LoadRun.ConnectAsync(target, clients, relay);
        if (LoadClient.CreateRetries > 0) Console.WriteLine($"# {target.Name}: {LoadClient.CreateRetries} account creations answered 503 (concurrent transparency appends) and were retried; {LoadClient.CreatedDespite503} retries found the account already stored (409)");
        try
        {
            // (transport, window) pairs: each anchor once per window (bare HTTP at window 1 is the ratio's denominator), a relay
            // per transport × window.
            var runs = name switch
            {
                "bare" => windows.Select(w => (false, w)).ToArray(),
                "bare-ws" => windows.Select(w => (true, w)).ToArray(),
                _ => transports.SelectMany(t => windows.Select(w => (t == "ws", w))).ToArray(),
            };
            var tracing = traced && relay && target.Processes.Length == 0;
            foreach (var (overSocket, window) in runs)
            {
                var max = await LoadRun.RunAsync(target, loaded, relay, 0, seconds, overSocket, window, tracing && !half);
                if (name == "bare" && window == 1) bare = max.DeliveredPerSecond;
                Print(max, bare);
                if (relay && half && max.DeliveredPerSecond > 0)
                    Print(await LoadRun.RunAsync(target, loaded, relay, fixedRate ?? max.DeliveredPerSecond / 2, seconds, overSocket, window, tracing), bare);
            }
        }
        finally
        {
            foreach (var client in loaded) await client.DisposeAsync();
        }
    }
    finally
    {
        if (pgSpec is not null && name.StartsWith("postgres", StringComparison.Ordinal)) await DropSchemaAsync(postgres!, schema);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}

Console.WriteLine($"# done; load average {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

static void Print(LoadResult r, double? bare)
{
    var offered = r.OfferedPerSecond > 0 ? r.OfferedPerSecond.ToString("F0", CultureInfo.InvariantCulture) : "max";
    var ratio = bare is > 0 ? (r.DeliveredPerSecond / bare.Value).ToString("P0", CultureInfo.InvariantCulture) : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Target} | {offered} | {r.SubmitsPerSecond:F0} | {r.DeliveredPerSecond:F0} | {r.P50:F2} | {r.P99:F2} | {r.Failed} | {ratio} |"));
    var relayCpu = r.Cpu.RelayMicros > 0 ? string.Create(CultureInfo.InvariantCulture, $", {r.Cpu.RelayMicros:F1} µs in the relay process") : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#   p99.9 {r.Tail.P999:F2} ms, max {r.Tail.Max:F2} ms; CPU per message: {r.Cpu.ToolMicros:F1} µs in this process{relayCpu}; allocated per message in this process {r.ToolAllocatedBytes:F0} B"));
    if (r.Trace is not null) Console.Write(r.Trace);
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException("unexpected argument " + args[i]);
        var key = args[i][2..];
        // A mistyped option must not start a run of several minutes with the defaults.
        if (!KnownOptions.Contains(key)) throw new ArgumentException($"unknown option --{key}; see --help");
        result[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
    }

    return result;
}

static async Task DropSchemaAsync(string server, string schema)
{
    await using var connection = new NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
    await drop.ExecuteNonQueryAsync();
}

internal static partial class Program
{
    private static readonly HashSet<string> KnownOptions = ["targets", "clients", "seconds", "postgres", "no-half", "transport", "window", "rate", "trace", "body"];

    private const string Usage = """
        Relay load tool (docs/benchmarks.md, "Relay").
          Enigm.RelayLoad [--targets bare,bare-ws,sqlite,sqlite-process,postgres,postgres-2nodes] [--clients 100] [--seconds 15]
                          [--postgres CONNSTR (default $ENIGM_POSTGRES)] [--no-half] [--transport http|ws[,...]] [--window N[,...]]
                          [--rate N] [--trace]
              --transport ws: submits as frames on each client's own delivery socket; --window: submits in flight per
              client (http: that many connections). Every relay target runs once per transport x window; the anchors
              bare (HTTP; window 1 is the ratio's denominator) and bare-ws (frames on a WebSocket) run once per window.
              Every relay target runs twice: at the maximum rate (closed loop), then paced at half the rate it reached
              for p99; --rate N: the paced run offers N msg/s (Poisson arrivals) instead. --trace: the relay's stage
              histograms, this process's GC pauses and what overlapped each slow message (relay targets in this
              process only; docs/benchmarks.md, "Sixth pass").
          Enigm.RelayLoad breakdown [--clients 100] [--seconds 5] [--postgres CONNSTR]
              where a submit's time goes (the SQLite store, or PostgreSQL, in process)
          Enigm.RelayLoad statements [--body 1024]
              the mailbox statements alone, one thread, no fsync
          Enigm.RelayLoad serve DB DATA
              one relay node (used for the *-process targets)
        """;
}
