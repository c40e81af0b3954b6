using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.Recovery;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// Each <see cref="DeviceLogLimits"/> ceiling exactly at the log's size (accepted) and one under it
/// (rejected with <see cref="DeviceLogTooLargeException"/> at the first entry that goes over).
/// </summary>
public sealed class DeviceLogLimitBoundaryTests
{
    private static readonly Lazy<DeviceLogWriter> SampleLog = new(Sample);

    private static IReadOnlyList<byte[]> Entries => SampleLog.Value.Entries;

    [Fact]
    public void A_log_of_exactly_max_entries_is_accepted_and_one_more_is_not()
    {
        Assert.Equal(5, DeviceLogVerifier.Verify(Entries, limits: Limits(maxEntries: 5)).Head.Sequence + 1);

        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: Limits(maxEntries: 4)));
        Assert.Equal(4, e.Sequence);
        Assert.Contains("the log has 5 entries, over the 4-entry limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_entries_are_refused_before_any_entry_is_parsed()
    {
        // Five unparsable entries: the count alone decides, so the error is "too large", not "malformed".
        byte[][] junk = [[0], [0], [0], [0], [0]];
        Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(junk, limits: Limits(maxEntries: 4)));
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify(junk, limits: Limits(maxEntries: 5)));
    }

    [Fact]
    public void Replay_accepts_entry_number_max_entries_minus_one_and_refuses_the_next()
    {
        var replay = new DeviceLogReplay(Limits(maxEntries: 4));
        foreach (var entry in Entries.Take(4)) replay.Apply(entry);

        var e = Assert.Throws<DeviceLogTooLargeException>(() => replay.Apply(Entries[4]));
        Assert.Equal(4, e.Sequence);
        Assert.Contains("more than 4 entries", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, replay.Count);
        Assert.Equal(new DeviceLogHead(3, Hash(Entries[3])), replay.Head);
    }

    [Fact]
    public void An_entry_of_exactly_max_entry_bytes_is_accepted_and_one_byte_less_of_limit_refuses_it()
    {
        var largest = Entries.Max(e => e.Length);
        var first = Entries.ToList().FindIndex(e => e.Length == largest);
        Assert.Equal(5, DeviceLogVerifier.Verify(Entries, limits: Limits(maxEntryBytes: largest)).Head.Sequence + 1);

        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: Limits(maxEntryBytes: largest - 1)));
        Assert.Equal(first, e.Sequence);
        Assert.Contains($"the entry has {largest} bytes, over the {largest - 1}-byte limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_of_exactly_max_log_bytes_is_accepted_and_one_byte_less_of_limit_refuses_its_last_entry()
    {
        var total = Entries.Sum(e => (long)e.Length);
        Assert.Equal(5, DeviceLogVerifier.Verify(Entries, limits: Limits(maxLogBytes: total)).Head.Sequence + 1);

        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: Limits(maxLogBytes: total - 1)));
        Assert.Equal(4, e.Sequence);
        Assert.Contains($"over the {total - 1}-byte limit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_log_byte_limit_counts_every_earlier_entry()
    {
        // Room for entries 0 and 1 exactly: entry 2 goes over even though it alone would fit.
        var limit = Entries[0].Length + Entries[1].Length;
        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: Limits(maxLogBytes: limit)));
        Assert.Equal(2, e.Sequence);
    }

    [Fact]
    public void Exactly_max_trusted_keys_at_once_is_accepted_and_one_more_is_not()
    {
        // The sample trusts three devices at once (phone, laptop, tablet) after entry 2.
        Assert.Equal(2, DeviceLogVerifier.Verify(Entries, limits: Limits(maxTrustedKeys: 3)).Devices.Count);

        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: Limits(maxTrustedKeys: 2)));
        Assert.Equal(2, e.Sequence);
        Assert.Contains("more than 2 trusted devices and recovery keys", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recovery_keys_count_towards_the_trusted_key_limit()
    {
        using var recovery = RecoveryKey.Generate();
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        writer.AddRecoveryKey(recovery, "paper", "phone", Key(1));

        Assert.Single(DeviceLogVerifier.Verify(writer.Entries, limits: Limits(maxTrustedKeys: 2)).RecoveryKeys);
        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(writer.Entries, limits: Limits(maxTrustedKeys: 1)));
        Assert.Equal(1, e.Sequence);

        // A device added after the recovery key is the third trusted key.
        writer.AddDevice("laptop", "Laptop", Key(2), "phone", Key(1));
        Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(writer.Entries, limits: Limits(maxTrustedKeys: 2)));
    }

    [Fact]
    public void A_revoked_device_frees_its_place_under_the_trusted_key_limit()
    {
        // phone, laptop, tablet; the tablet is revoked at entry 4; a new device then fits under 3.
        var writer = DeviceLogWriter.Open(Entries, new DeviceLogWriterOptions { Limits = Limits(maxTrustedKeys: 3) });
        writer.AddDevice("desk", "Desk", Key(5), "phone", Key(1));
        Assert.Equal(["phone", "laptop", "desk"], DeviceLogVerifier.Verify(writer.Entries, limits: Limits(maxTrustedKeys: 3)).Devices.Select(d => d.Id));
    }

    private static DeviceLogLimits Limits(int? maxEntries = null, int? maxEntryBytes = null, long? maxLogBytes = null, int? maxTrustedKeys = null) =>
        DeviceLogLimits.Default with
        {
            MaxEntries = maxEntries ?? DeviceLogLimits.Default.MaxEntries,
            MaxEntryBytes = maxEntryBytes ?? DeviceLogLimits.Default.MaxEntryBytes,
            MaxLogBytes = maxLogBytes ?? DeviceLogLimits.Default.MaxLogBytes,
            MaxTrustedKeys = maxTrustedKeys ?? DeviceLogLimits.Default.MaxTrustedKeys,
        };
}
