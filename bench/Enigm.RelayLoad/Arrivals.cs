using System.Diagnostics;

namespace Enigm.RelayLoad;

/// <summary>
/// When a paced client submits next. Open-loop load is modelled as a Poisson process per client (exponential gaps with
/// the client's mean interval, and a random first arrival), so 100 clients together offer a Poisson stream at the target
/// rate. The first version started every client at the same instant with the same fixed interval: all 100 submitted in
/// lockstep, a burst of 100 every interval, and the "half rate" p50/p99 measured how long that burst took to drain,
/// not the latency at half the load.
/// </summary>
internal sealed class Arrivals(TimeSpan meanInterval)
{
    private long _next = Stopwatch.GetTimestamp() + Ticks(meanInterval.TotalSeconds * Random.Shared.NextDouble());

    /// <summary>How long to wait before the next submit (zero if it is already due), and moves on to the one after.</summary>
    public TimeSpan Next()
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _next);
        // Exponential gap: -ln(U) × mean, U uniform in (0, 1].
        _next += Ticks(-Math.Log(1 - Random.Shared.NextDouble()) * meanInterval.TotalSeconds);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
