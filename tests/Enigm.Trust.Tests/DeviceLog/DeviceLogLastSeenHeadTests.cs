using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// <see cref="DeviceLogVerifier"/> against the head seen last time: a log may end exactly at that
/// head or after it; ending one entry before it is a rollback, another entry there is a fork, and
/// each error says where and what.
/// </summary>
public sealed class DeviceLogLastSeenHeadTests
{
    private static readonly Lazy<DeviceLogWriter> SampleLog = new(Sample);

    private static IReadOnlyList<byte[]> Entries => SampleLog.Value.Entries;

    [Fact]
    public void A_log_ending_exactly_at_the_last_seen_head_is_accepted()
    {
        var head = new DeviceLogHead(4, Hash(Entries[4]));
        Assert.Equal(head, DeviceLogVerifier.Verify(Entries, head).Head);
        DeviceLogVerifier.CheckAgainstLastSeen(Entries, head);
    }

    [Fact]
    public void A_log_ending_one_entry_before_the_last_seen_head_is_a_rollback()
    {
        var head = new DeviceLogHead(4, Hash(Entries[4]));
        var e = Assert.Throws<DeviceLogRollbackException>(() => DeviceLogVerifier.Verify(Entries.Take(4).ToList(), head));
        Assert.Equal(4, e.Sequence);
        Assert.Contains("the log ends at entry 3, before the head 4 already seen", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_entry_at_the_last_seen_position_is_a_fork_naming_both_hashes()
    {
        var seen = new DeviceLogHead(2, Hash(Entries[3]));
        var e = Assert.Throws<DeviceLogForkException>(() => DeviceLogVerifier.CheckAgainstLastSeen(Entries, seen));
        Assert.Equal(2, e.Sequence);
        Assert.Contains($"seen {seen.HashHex}, now {Convert.ToHexStringLower(Hash(Entries[2]))}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_head_is_checked_before_any_entry_is_replayed()
    {
        // Entry 1 is garbage, but the log is shorter than the head seen: the rollback is reported.
        var head = new DeviceLogHead(4, Hash(Entries[4]));
        Assert.Throws<DeviceLogRollbackException>(() => DeviceLogVerifier.Verify([Entries[0], [0xa0]], head));
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([Entries[0], [0xa0]]));
    }

    [Fact]
    public void An_empty_log_is_a_gap_at_entry_0()
    {
        var e = Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([]));
        Assert.Equal(0, e.Sequence);
        Assert.Contains("the log is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments_are_programming_errors()
    {
        Assert.Throws<ArgumentNullException>(() => DeviceLogVerifier.Verify(null!));
        Assert.Throws<ArgumentNullException>(() => DeviceLogVerifier.CheckAgainstLastSeen(null!, new DeviceLogHead(0, new byte[32])));
        Assert.Throws<ArgumentNullException>(() => DeviceLogVerifier.CheckAgainstLastSeen(Entries, null!));
    }
}
