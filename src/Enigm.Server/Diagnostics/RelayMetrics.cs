using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Enigm.Server.Diagnostics;

/// <summary>
/// Where a message's time goes inside the relay, as <see cref="System.Diagnostics.Metrics"/> histograms of the meter
/// <see cref="MeterName"/> (milliseconds unless the name says otherwise). An operator reads them with
/// <c>dotnet-counters monitor --counters Enigm.Server.Relay</c> or any OpenTelemetry exporter; the load tool reads them
/// in process with a <see cref="MeterListener"/> (<c>--trace</c>, docs/benchmarks.md "Sixth pass"). With no listener a
/// record is one branch on <see cref="Instrument.Enabled"/>. No message content, account or device is ever a tag.
/// </summary>
public static class RelayMetrics
{
    public const string MeterName = "Enigm.Server.Relay";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>A write's wait in the SQLite writer's queue: queued until its group commit started.</summary>
    public static readonly Histogram<double> WriterQueueWait = Meter.CreateHistogram<double>("enigm.relay.sqlite.queue_wait", "ms");

    /// <summary>One group commit on the writer thread: BEGIN, every operation's statements, COMMIT (no fsync: <c>synchronous=NORMAL</c>).</summary>
    public static readonly Histogram<double> WriterBatch = Meter.CreateHistogram<double>("enigm.relay.sqlite.batch", "ms");

    /// <summary>Operations in one group commit.</summary>
    public static readonly Histogram<int> WriterBatchSize = Meter.CreateHistogram<int>("enigm.relay.sqlite.batch_size", "{operation}");

    /// <summary>A group commit's durable writes: COMMIT returned until the WAL fsync covering it returned.</summary>
    public static readonly Histogram<double> DurableWait = Meter.CreateHistogram<double>("enigm.relay.sqlite.durable_wait", "ms");

    /// <summary>One fsync of the WAL file.</summary>
    public static readonly Histogram<double> WalFsync = Meter.CreateHistogram<double>("enigm.relay.sqlite.fsync", "ms");

    /// <summary>One PASSIVE checkpoint (the background thread's or, when the WAL grew long, the writer's).</summary>
    public static readonly Histogram<double> Checkpoint = Meter.CreateHistogram<double>("enigm.relay.sqlite.checkpoint", "ms");

    /// <summary>A submit on the delivery stream: frame parsed until stored and durable (token check, validation, enqueue).</summary>
    public static readonly Histogram<double> SubmitStored = Meter.CreateHistogram<double>("enigm.relay.submit.stored", "ms");

    /// <summary>A submit on the delivery stream: durable until its reply frame was written to the socket.</summary>
    public static readonly Histogram<double> SubmitReply = Meter.CreateHistogram<double>("enigm.relay.submit.reply", "ms");

    /// <summary>Delivery: the oldest message handed over from memory since the loop last looked, until its frame was written.</summary>
    public static readonly Histogram<double> DeliveryHandover = Meter.CreateHistogram<double>("enigm.relay.delivery.handover", "ms");

    /// <summary>One frame on a delivery socket: waiting for the socket's turn, serialising the frame into the connection's buffer, and the send.</summary>
    public static readonly Histogram<double> FrameSend = Meter.CreateHistogram<double>("enigm.relay.delivery.frame_send", "ms");

    /// <summary>Milliseconds since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static double Since(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
