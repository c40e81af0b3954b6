using System.Diagnostics;

namespace Enigm.RelayLoad;

/// <summary>What one measured run saw.</summary>
internal sealed record LoadResult(string Target, int Clients, double OfferedPerSecond, double Seconds, double SubmitsPerSecond, double DeliveredPerSecond, double P50, double P99, long Failed)
{
    /// <summary>CPU time per delivered message: this process (the clients, and the relay when embedded), the relay's own processes.</summary>
    public (double ToolMicros, double RelayMicros) Cpu { get; init; }

    /// <summary>Bytes allocated in this process per delivered message (<see cref="GC.GetTotalAllocatedBytes"/>).</summary>
    public double ToolAllocatedBytes { get; init; }

    /// <summary>p99.9 and the slowest delivery (ms).</summary>
    public (double P999, double Max) Tail { get; init; }

    /// <summary>The <c>--trace</c> report of this run, if traced.</summary>
    public string? Trace { get; init; }
}

/// <summary>
/// One run against a target: N clients, client i submitting to client (i+1) mod N (on another node when there are two),
/// a warm-up, then <c>seconds</c> measured. Throughput counts deliveries (submits for the bare anchor).
/// </summary>
internal static class LoadRun
{
    public static async Task<List<LoadClient>> ConnectAsync(RunningTarget target, int clients, bool relay)
    {
        var result = new LoadClient[clients];
        // Accounts are created a few at a time: key generation is CPU work this machine has little of.
        var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                result[i] = await LoadClient.CreateAsync(target.Urls[i % target.Urls.Length], relay);
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. result];
    }

    /// <summary>
    /// <paramref name="overSocket"/>: submits as frames on each client's delivery socket (the relay) or on a WebSocket
    /// (the bare-ws anchor), not HTTP. <paramref name="window"/>: submits in flight per client (that many submit loops,
    /// each offering its share of the rate).
    /// </summary>
    public static async Task<LoadResult> RunAsync(RunningTarget target, List<LoadClient> clients, bool relay, double ratePerSecond, double seconds, bool overSocket = false, int window = 1, bool traced = false)
    {
        using var stop = new CancellationTokenSource();
        var receivers = new List<Task>();
        foreach (var client in clients) client.OverSocket = overSocket;
        if (relay || overSocket)
        {
            // The recipient of client i's messages connects to the other node than client i (when there are two).
            for (var i = 0; i < clients.Count; i++) receivers.Add(await clients[i].StartReceivingAsync(target.Urls[i % target.Urls.Length], stop.Token));
        }

        foreach (var client in clients)
        {
            client.Latencies.Clear();
            client.Submitted = client.Delivered = client.Failed = 0;
        }

        var perLoop = ratePerSecond / clients.Count / window;
        var senders = clients.SelectMany((client, i) => Enumerable.Range(0, window).Select(_ => relay
            ? Task.Run(() => client.SubmitLoopAsync(clients[(i + 1) % clients.Count].Account, perLoop, stop.Token))
            : Task.Run(() => client.BareLoopAsync(stop.Token)))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(Math.Min(3, seconds / 4))); // warm-up: JIT, pools, page cache
        using var self = Process.GetCurrentProcess();
        var toolCpu = self.TotalProcessorTime;
        var relayCpu = RelayCpu(target);
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        using var trace = traced ? new RelayTrace() : null;
        LoadClient.Trace = trace;
        if (trace is not null) trace.Recording = true;
        foreach (var client in clients) client.Recording = true;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        foreach (var client in clients) client.Recording = false;
        if (trace is not null) trace.Recording = false;
        var elapsed = clock.Elapsed.TotalSeconds;
        self.Refresh();
        toolCpu = self.TotalProcessorTime - toolCpu;
        allocated = GC.GetTotalAllocatedBytes(precise: false) - allocated;
        relayCpu = RelayCpu(target) - relayCpu;
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        await Task.WhenAll(receivers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

        var latencies = clients.SelectMany(c => c.Latencies).Order().ToArray();
        double At(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * q))];
        var delivered = clients.Sum(c => c.Delivered);
        LoadClient.Trace = null;
        return new LoadResult(
            target.Name + (overSocket ? $", ws window {window}" : relay || window > 1 ? $", http window {window}" : ""),
            clients.Count,
            ratePerSecond,
            elapsed,
            clients.Sum(c => c.Submitted) / elapsed,
            clients.Sum(c => c.Delivered) / elapsed,
            At(0.50),
            At(0.99),
            clients.Sum(c => c.Failed))
        {
            Cpu = (toolCpu.TotalMicroseconds / Math.Max(1, delivered), relayCpu.TotalMicroseconds / Math.Max(1, delivered)),
            ToolAllocatedBytes = (double)allocated / Math.Max(1, delivered),
            Tail = (At(0.999), latencies.Length == 0 ? double.NaN : latencies[^1]),
            Trace = trace?.Report(delivered),
        };
    }

    private static TimeSpan RelayCpu(RunningTarget target)
    {
        var total = TimeSpan.Zero;
        foreach (var process in target.Processes)
        {
            process.Refresh();
            total += process.TotalProcessorTime;
        }

        return total;
    }
}
