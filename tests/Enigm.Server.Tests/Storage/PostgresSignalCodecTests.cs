using Enigm.Server.Storage;
using Enigm.Server.Storage.Postgres;
using Xunit;

namespace Enigm.Server.Tests.Storage;

/// <summary>The NOTIFY payloads between relay nodes (PostgresSignals.EncodeBatch / DecodeBatch); no database needed.</summary>
public sealed class PostgresSignalCodecTests
{
    [Fact]
    public void A_batch_round_trips_with_its_node_and_every_field()
    {
        RelaySignal[] signals =
        [
            new(RelaySignalKind.NewMessage, "bob", "d1"),
            new(RelaySignalKind.ConnectionOpened, "alice", "d2", "conn-7"),
            new(RelaySignalKind.AccountChanged, "carol", null),
        ];
        var oversized = new List<RelaySignal>();
        var payloads = PostgresSignals.EncodeBatch("node-1", signals, oversized);

        var payload = Assert.Single(payloads);
        Assert.Empty(oversized);
        var decoded = PostgresSignals.DecodeBatch(payload);
        Assert.NotNull(decoded);
        Assert.Equal("node-1", decoded.Value.Node);
        Assert.Equal(signals, decoded.Value.Signals);
    }

    [Fact]
    public void Many_signals_are_split_into_payloads_postgres_accepts_and_none_is_lost()
    {
        var signals = Enumerable.Range(0, 2000).Select(i => new RelaySignal(RelaySignalKind.NewMessage, "account-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), "device")).ToArray();
        var payloads = PostgresSignals.EncodeBatch("n", signals, []);

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(p), 1, PostgresSignals.MaxPayloadBytes));
        Assert.Equal(signals, payloads.SelectMany(p => PostgresSignals.DecodeBatch(p)!.Value.Signals));
    }

    [Fact]
    public void A_signal_too_large_for_any_payload_is_set_aside_not_sent()
    {
        var huge = new RelaySignal(RelaySignalKind.NewMessage, new string('a', PostgresSignals.MaxPayloadBytes), "d1");
        var small = new RelaySignal(RelaySignalKind.NewMessage, "bob", "d1");
        var oversized = new List<RelaySignal>();
        var payloads = PostgresSignals.EncodeBatch("n", [huge, small], oversized);

        Assert.Equal([huge], oversized);
        Assert.Equal([small], PostgresSignals.DecodeBatch(Assert.Single(payloads))!.Value.Signals);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[\"NewMessage\",\"bob\",\"d1\",null]")] // a bare signal, not a batch
    [InlineData("{\"signals\":[[\"NewMessage\",\"bob\",\"d1\",null]]}")] // no node
    [InlineData("{\"node\":1,\"signals\":[]}")]
    [InlineData("{\"node\":\"n\",\"signals\":{}}")]
    [InlineData("{\"node\":\"n\",\"signals\":[[\"NoSuchKind\",\"bob\",\"d1\",null]]}")]
    [InlineData("{\"node\":\"n\",\"signals\":[[\"99\",\"bob\",\"d1\",null]]}")]
    [InlineData("{\"node\":\"n\",\"signals\":[[\"NewMessage\",null,\"d1\",null]]}")]
    [InlineData("{\"node\":\"n\",\"signals\":[[\"NewMessage\",\"bob\",\"d1\"]]}")]
    [InlineData("{\"node\":\"n\",\"signals\":[[\"NewMessage\",\"bob\",5,null]]}")]
    [InlineData("{\"node\":\"n\",\"signals\":[[\"NewMessage\",\"bob\",\"d1\",null],[[[1]]]]}")]
    public void A_malformed_payload_yields_nothing_to_dispatch(string payload) =>
        Assert.Null(PostgresSignals.DecodeBatch(payload));

    [Fact]
    public void A_payload_over_postgres_limit_is_not_parsed() =>
        Assert.Null(PostgresSignals.DecodeBatch("{\"node\":\"n\",\"signals\":[]" + new string(' ', 8001) + "}"));
}
