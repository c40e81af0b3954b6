using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;
using Enigm.Server.Diagnostics;

namespace Enigm.RelayLoad;

/// <summary>
/// <c>--trace</c> (relay in this process): every measurement of the relay's stage histograms (<see cref="RelayMetrics"/>,
/// read with a <see cref="MeterListener"/>), every GC pause of this process (runtime events, GC keyword: suspend begin to
/// restart end) and every slow message the clients saw (over <see cref="SlowMs"/>), each with its time on the one
/// <see cref="Stopwatch"/> clock. <see cref="Report"/> prints each stage's distribution, then attributes every slow message
/// to what overlapped its submit-to-delivery interval: a GC pause, a slow WAL fsync, a checkpoint, a long group commit.
/// </summary>
internal sealed class RelayTrace : IDisposable
{
    public const double SlowMs = 10;

    private readonly MeterListener _meters = new();
    private readonly GcPauses _gc = new();
    private readonly Dictionary<string, List<(long End, double Ms)>> _stages = new(StringComparer.Ordinal);
    private readonly List<(long Sent, long Received)> _slow = [];
    private volatile bool _recording;

    public RelayTrace()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RelayMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(Name(instrument, tags), value));
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(Name(instrument, tags), value));
        _meters.Start();
    }

    public bool Recording
    {
        get => _recording;
        set
        {
            _recording = value;
            _gc.Recording = value;
        }
    }

    /// <summary>A message the clients saw slower than <see cref="SlowMs"/>.</summary>
    public void Slow(long sent, long received)
    {
        if (!_recording) return;
        lock (_slow) _slow.Add((sent, received));
    }

    public void Dispose()
    {
        _meters.Dispose();
        _gc.Dispose();
    }

    public string Report(long delivered)
    {
        var text = new StringBuilder();
        text.AppendLine("# trace: relay stages (ms; batch_size in operations), this process's GC pauses");
        text.AppendLine("| stage | count | p50 | p90 | p99 | p99.9 | max | > 5 ms | > 10 ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var gc = _gc.Pauses();
        var rows = _stages.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, Values: s.Value.Select(v => v.Ms).ToArray())).ToList();
        rows.Add(("gc pause", gc.Select(p => p.Ms).ToArray()));
        foreach (var (name, values) in rows)
        {
            Array.Sort(values);
            double At(double q) => values.Length == 0 ? double.NaN : values[Math.Min(values.Length - 1, (int)(values.Length * q))];
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {values.Length} | {At(0.5):F2} | {At(0.9):F2} | {At(0.99):F2} | {At(0.999):F2} | {(values.Length == 0 ? double.NaN : values[^1]):F2} | {values.Count(v => v > 5)} | {values.Count(v => v > 10)} |"));
        }

        text.Append(Attribution(delivered, gc));
        return text.ToString();
    }

    /// <summary>
    /// For each slow message, what overlapped its interval, in this order of blame: a GC pause of 1 ms or more, a WAL fsync
    /// of 5 ms or more, a checkpoint, a group commit of 2 ms or more; else "none of these".
    /// </summary>
    private string Attribution(long delivered, List<(long End, double Ms)> gc)
    {
        (long Start, long End)[] Intervals(IEnumerable<(long End, double Ms)> events, double minMs) =>
            [.. events.Where(e => e.Ms >= minMs).Select(e => (e.End - Ticks(e.Ms), e.End)).OrderBy(e => e.Item1)];
        var causes = new (string Name, (long Start, long End)[] Events)[]
        {
            ("a GC pause >= 1 ms", Intervals(gc, 1)),
            ("a WAL fsync >= 5 ms", Intervals(_stages.GetValueOrDefault("enigm.relay.sqlite.fsync") ?? [], 5)),
            ("a checkpoint", Intervals(_stages.Where(s => s.Key.StartsWith("enigm.relay.sqlite.checkpoint", StringComparison.Ordinal)).SelectMany(s => s.Value), 0)),
            ("a group commit >= 2 ms", Intervals(_stages.GetValueOrDefault("enigm.relay.sqlite.batch") ?? [], 2)),
        };
        var counts = new int[causes.Length + 1];
        var overlaps = new int[causes.Length];
        foreach (var (sent, received) in _slow)
        {
            var blamed = false;
            for (var i = 0; i < causes.Length; i++)
            {
                if (!causes[i].Events.Any(e => e.Start < received && e.End > sent)) continue;
                overlaps[i]++;
                if (!blamed) counts[i]++;
                blamed = true;
            }

            if (!blamed) counts[^1]++;
        }

        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"# slow messages (> {SlowMs} ms): {_slow.Count} of {delivered} ({100.0 * _slow.Count / Math.Max(1, delivered):F2} %)"));
        text.AppendLine("| overlapped | first cause | any overlap |");
        text.AppendLine("|---|---:|---:|");
        for (var i = 0; i < causes.Length; i++) text.AppendLine($"| {causes[i].Name} | {counts[i]} | {overlaps[i]} |");
        text.AppendLine($"| none of these | {counts[^1]} | |");
        return text.ToString();
    }

    private static long Ticks(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    private static string Name(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        tags.Length == 0 ? instrument.Name : instrument.Name + " (" + tags[0].Value + ")";

    private void Add(string name, double value)
    {
        if (!_recording) return;
        var now = Stopwatch.GetTimestamp();
        lock (_stages)
        {
            if (!_stages.TryGetValue(name, out var list)) _stages[name] = list = new List<(long, double)>(1 << 14);
            list.Add((now, value));
        }
    }

    /// <summary>GC pauses of this process from the runtime's own events (GCSuspendEEBegin_V1 = 9 to GCRestartEEEnd_V1 = 3).</summary>
    private sealed class GcPauses : EventListener
    {
        private readonly List<(long End, double Ms)> _pauses = [];
        private readonly long _clockTicks = Stopwatch.GetTimestamp();
        private readonly DateTime _clockUtc = DateTime.UtcNow;
        private DateTime? _suspended;

        public volatile bool Recording;

        public List<(long End, double Ms)> Pauses()
        {
            lock (_pauses) return [.. _pauses];
        }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventId == 9)
            {
                _suspended = e.TimeStamp;
            }
            else if (e.EventId == 3 && _suspended is { } began)
            {
                _suspended = null;
                if (!Recording) return;
                var end = _clockTicks + (long)((e.TimeStamp.ToUniversalTime() - _clockUtc).TotalSeconds * Stopwatch.Frequency);
                lock (_pauses) _pauses.Add((end, (e.TimeStamp - began).TotalMilliseconds));
            }
        }
    }
}
