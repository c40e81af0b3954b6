using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Enigm.Server.Diagnostics;
using Enigm.Server.Tests.Http;
using Xunit;

namespace Enigm.Server.Tests.StreamSubmits;

/// <summary>
/// The relay's stage histograms (<see cref="RelayMetrics"/>, docs/benchmarks.md "Sixth pass"): one submit on the stream
/// and its delivery record every stage it passes through, as a listener outside the relay sees them.
/// </summary>
public sealed class StageMetricsTests
{
    [Fact]
    public async Task A_submit_on_the_stream_and_its_delivery_record_every_stage_they_pass()
    {
        var seen = new ConcurrentDictionary<string, List<double>>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RelayMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(seen, instrument.Name, value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Record(seen, instrument.Name, value));
        listener.Start();

        await using var relay = await RelayFixture.StartAsync();
        using var alice = await TestAccount.CreateAsync(relay);
        using var bob = await TestAccount.CreateAsync(relay);
        await using var aliceStream = await StreamSocket.ConnectAsync(relay, await alice.LoginAsync(relay, "phone"));
        await using var bobStream = await StreamSocket.ConnectAsync(relay, await bob.LoginAsync(relay, "phone"));
        await aliceStream.SubmitAsync(1, bob.Id, TestAccount.Message("phone", "timed"));
        Assert.Equal(1, (await aliceStream.ReplyAsync(1)).Response!.Stored);
        Assert.Single(await bobStream.DeliveredAsync(1));

        string[] stages =
        [
            "enigm.relay.sqlite.queue_wait", "enigm.relay.sqlite.batch", "enigm.relay.sqlite.batch_size", "enigm.relay.sqlite.durable_wait",
            "enigm.relay.sqlite.fsync", "enigm.relay.submit.stored", "enigm.relay.submit.reply", "enigm.relay.delivery.handover",
            "enigm.relay.delivery.frame_send",
        ];
        foreach (var stage in stages)
        {
            Assert.True(seen.TryGetValue(stage, out var values), $"no {stage} measurement");
            lock (values) Assert.All(values, v => Assert.True(v >= 0 && v < 60_000, $"{stage}: {v}"));
        }
    }

    private static void Record(ConcurrentDictionary<string, List<double>> seen, string name, double value)
    {
        var values = seen.GetOrAdd(name, _ => []);
        lock (values) values.Add(value);
    }
}
