using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// <see cref="DeviceLogVerifier.Check"/> and <see cref="DeviceLogVerifier.CheckFile"/>: the trusted set, or
/// the first bad entry's position with its typed error, for failures that carry a sequence and for those
/// that do not (malformed bytes, unknown suites).
/// </summary>
public sealed class DeviceLogVerificationTests
{
    private static readonly Lazy<IReadOnlyList<byte[]>> Log = new(() => Sample().Entries);

    private static List<byte[]> Copy() => [.. Log.Value.Select(e => (byte[])e.Clone())];

    [Fact]
    public void A_valid_log_gives_the_trusted_set_and_no_position()
    {
        var result = DeviceLogVerifier.Check(Log.Value);

        Assert.True(result.Verified);
        Assert.Null(result.FailedAt);
        Assert.Null(result.Error);
        Assert.Equal(5, result.EntryCount);
        Assert.Equal(["phone", "laptop"], result.Trusted.Devices.Select(d => d.Id));
        Assert.Same(result.Trusted, result.TrustedOrThrow());
    }

    [Fact]
    public void A_tampered_signature_is_reported_at_its_entry()
    {
        var entries = Copy();
        entries[3][^20] ^= 0x40;

        var result = DeviceLogVerifier.Check(entries);

        Assert.False(result.Verified);
        Assert.Null(result.Trusted);
        Assert.Equal(3, result.FailedAt);
        Assert.IsType<DeviceLogSignatureException>(result.Error);
        Assert.Equal(5, result.EntryCount);
    }

    [Fact]
    public void A_malformed_entry_which_carries_no_sequence_is_reported_where_the_replay_stopped()
    {
        var entries = Copy();
        entries[2] = entries[2][..^1];

        var result = DeviceLogVerifier.Check(entries);

        Assert.Equal(2, result.FailedAt);
        Assert.IsType<MalformedInputException>(result.Error);
    }

    [Fact]
    public void An_unknown_suite_late_in_the_log_is_reported_at_that_entry()
    {
        var entry = Raw(5, Hash(Log.Value[4]), DeviceLogEntryKind.AddDevice, "tv", "TV", Encoded(Key(6)), "", [("phone", Key(1)), ("tv", Key(6))], suite: 9);

        var result = DeviceLogVerifier.Check([.. Log.Value, entry]);

        Assert.Equal(5, result.FailedAt);
        Assert.Equal(9, Assert.IsType<UnknownSuiteException>(result.Error).SuiteId);
    }

    [Fact]
    public void An_untrusted_signer_is_reported_at_its_entry()
    {
        var entry = Raw(5, Hash(Log.Value[4]), DeviceLogEntryKind.AddDevice, "evil", "Evil", Encoded(Key(6)), "", [("tablet", Key(3)), ("evil", Key(6))]);

        var result = DeviceLogVerifier.Check([.. Log.Value, entry]);

        Assert.Equal(5, result.FailedAt);
        Assert.IsType<UntrustedSignerException>(result.Error);
    }

    [Fact]
    public void A_rollback_is_reported_at_the_first_missing_entry_and_a_fork_at_the_seen_position()
    {
        var seen = new DeviceLogHead(4, Hash(Log.Value[4]));
        var rollback = DeviceLogVerifier.Check([.. Log.Value.Take(3)], seen);
        Assert.Equal(3, rollback.FailedAt);
        Assert.IsType<DeviceLogRollbackException>(rollback.Error);

        var fork = DeviceLogVerifier.Check(Log.Value, new DeviceLogHead(2, new byte[32]));
        Assert.Equal(2, fork.FailedAt);
        Assert.IsType<DeviceLogForkException>(fork.Error);
    }

    [Fact]
    public void An_empty_log_fails_at_entry_zero()
    {
        var result = DeviceLogVerifier.Check([]);

        Assert.Equal(0, result.FailedAt);
        Assert.IsType<DeviceLogGapException>(result.Error);
        Assert.Equal(0, result.EntryCount);
    }

    [Fact]
    public void Verify_throws_exactly_the_error_check_reports()
    {
        var entries = Copy();
        entries[1][^5] ^= 0x01;

        var reported = DeviceLogVerifier.Check(entries).Error!;
        var thrown = Assert.ThrowsAny<EnigmException>(() => DeviceLogVerifier.Verify(entries));

        Assert.Equal(reported.GetType(), thrown.GetType());
        Assert.Equal(reported.Message, thrown.Message);
        Assert.Equal(1, Assert.IsAssignableFrom<DeviceLogException>(thrown).Sequence);
    }

    [Fact]
    public void Check_file_verifies_an_encoded_log()
    {
        var result = DeviceLogVerifier.CheckFile(DeviceLogFile.Encode(Log.Value));

        Assert.True(result.Verified);
        Assert.Equal(4, result.Trusted.Head.Sequence);
    }

    [Fact]
    public void Check_file_on_bytes_that_are_not_a_log_has_no_entry_position()
    {
        var result = DeviceLogVerifier.CheckFile([0xde, 0xad]);

        Assert.False(result.Verified);
        Assert.Null(result.FailedAt);
        Assert.Null(result.EntryCount);
        Assert.IsType<MalformedInputException>(result.Error);
    }

    [Fact]
    public void Check_file_over_the_entry_limit_fails_as_a_whole()
    {
        var result = DeviceLogVerifier.CheckFile(DeviceLogFile.Encode(Log.Value), limits: new DeviceLogLimits { MaxEntries = 3 });

        Assert.Null(result.FailedAt);
        Assert.IsType<DeviceLogTooLargeException>(result.Error);
    }

    [Fact]
    public void Check_file_reports_a_bad_entry_inside_a_well_formed_file()
    {
        var entries = Copy();
        entries[4][^3] ^= 0x10;

        var result = DeviceLogVerifier.CheckFile(DeviceLogFile.Encode(entries));

        Assert.Equal(4, result.FailedAt);
        Assert.Equal(5, result.EntryCount);
        Assert.IsType<DeviceLogSignatureException>(result.Error);
    }
}
