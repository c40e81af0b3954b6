using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// Genesis, add-device and add-recovery-key carry a name (docs/trust-device-log.md, "Entry kinds and who
/// signs"): the name is what a user sees when asked to trust a device, so an entry without one is
/// malformed, whoever signed it, and the replay stays where it was.
/// </summary>
public sealed class DeviceLogSubjectNameTests
{
    [Fact]
    public void A_genesis_entry_without_a_name_is_malformed()
    {
        var genesis = Raw(0, [], DeviceLogEntryKind.Genesis, "phone", "", Encoded(Key(1)), "", [("phone", Key(1))]);

        var replay = new DeviceLogReplay();
        var e = Assert.Throws<MalformedInputException>(() => replay.Apply(genesis));

        Assert.Contains("Device log entry 0: a Genesis entry needs a name", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, replay.Count);
        Assert.Null(replay.Account);
    }

    [Theory]
    [InlineData(DeviceLogEntryKind.AddDevice, "desk")]
    [InlineData(DeviceLogEntryKind.AddRecoveryKey, "recovery-1")]
    public void An_addition_without_a_name_is_malformed_and_changes_nothing(DeviceLogEntryKind kind, string subject)
    {
        var log = Sample().Entries;
        var replay = new DeviceLogReplay();
        foreach (var entry in log) replay.Apply(entry);
        var before = replay.Snapshot();

        var unnamed = Raw(5, Hash(log[4]), kind, subject, "", Encoded(Key(6)), "", [("phone", Key(1)), (subject, Key(6))]);
        var e = Assert.Throws<MalformedInputException>(() => replay.Apply(unnamed));

        Assert.Contains($"Device log entry 5: a {kind} entry needs a name", e.Message, StringComparison.Ordinal);
        Assert.Equal(5, replay.Count);
        Assert.Equal(before.Devices.Select(d => d.Id), replay.Snapshot().Devices.Select(d => d.Id));
        Assert.Empty(replay.Snapshot().RecoveryKeys);
        // The same entry with a name is accepted: only the name was missing.
        replay.Apply(Raw(5, Hash(log[4]), kind, subject, "Named", Encoded(Key(6)), "", [("phone", Key(1)), (subject, Key(6))]));
        Assert.Equal(6, replay.Count);
    }

    [Fact]
    public void The_writer_refuses_to_add_a_device_without_a_name()
    {
        var writer = Sample();

        Assert.Throws<MalformedInputException>(() => writer.AddDevice("desk", "", Key(6), "phone", Key(1)));
        Assert.Throws<MalformedInputException>(() => DeviceLogWriter.CreateGenesis("phone", "", Key(1)));
        Assert.Equal(5, writer.Entries.Count);
    }
}
