using System.Diagnostics;
using Enigm.Relay;
using Enigm.Server.Storage;

namespace Enigm.Server.CrashHost;

/// <summary>
/// Store-level submit throughput: <c>submitters</c> tasks each call <see cref="IRelayStore.EnqueueAsync"/> with one
/// 200-byte message in a loop for <c>seconds</c>, spread over 64 recipient accounts; prints messages per second and
/// the p50/p99 latency of an acknowledged submit. No HTTP: this is the storage layer's ceiling (docs/deployment.md).
/// </summary>
internal static class SubmitBurst
{
    public static async Task<string> RunAsync(IRelayStore store, int submitters, double seconds)
    {
        await store.MigrateAsync();
        long count = 0;
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, submitters).Select(i => Task.Run(async () =>
        {
            var body = new byte[200];
            var mine = new List<double>();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                var started = Stopwatch.GetTimestamp();
                await store.EnqueueAsync("account" + (i % 64), [new OutgoingMessage("d1", Guid.NewGuid().ToByteArray(), body)], DateTimeOffset.UtcNow);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref count);
            }

            lock (latencies) latencies.AddRange(mine);
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        return $"{store.Kind} submitters={submitters} messages/s={count / elapsed:F0} p50={latencies[latencies.Count / 2]:F2}ms p99={latencies[(int)(latencies.Count * 0.99)]:F2}ms";
    }
}
