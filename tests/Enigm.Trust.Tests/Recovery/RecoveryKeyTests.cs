using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.Recovery;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.Recovery;

/// <summary>The printed recovery key, and recovery of an account whose devices are all lost.</summary>
public sealed class RecoveryKeyTests
{
    [Fact]
    public void Printed_key_is_groups_of_four_with_a_check_group_and_parses_back_to_the_same_key()
    {
        using var key = RecoveryKey.Generate();
        var printed = key.ToPrintableText();
        Assert.Matches("^RK1(-[A-Z2-7]{4}){14}$", printed);
        using var parsed = RecoveryKey.Parse(printed);
        Assert.Equal(key.Id, parsed.Id);
        Assert.Equal(key.PublicKey, parsed.PublicKey);
        Assert.DoesNotContain(printed[4..], key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parsing_ignores_case_spaces_and_dashes_and_reads_0_1_8_as_O_I_B()
    {
        using var key = RecoveryKey.Generate();
        var printed = key.ToPrintableText();
        var sloppy = "rk1 " + printed[4..].Replace('-', ' ').ToLowerInvariant().Replace('o', '0').Replace('i', '1').Replace('b', '8');
        using var parsed = RecoveryKey.Parse(sloppy);
        Assert.Equal(key.Id, parsed.Id);
    }

    [Fact]
    public void A_mistyped_character_is_caught_by_the_checksum()
    {
        using var key = RecoveryKey.Generate();
        var printed = key.ToPrintableText().ToCharArray();
        var rejected = 0;
        for (var i = 4; i < printed.Length; i++)
        {
            if (printed[i] == '-') continue;
            var copy = (char[])printed.Clone();
            copy[i] = copy[i] == 'A' ? 'C' : 'A';
            Assert.Throws<MalformedInputException>(() => RecoveryKey.Parse(new string(copy)));
            rejected++;
        }

        Assert.Equal(56, rejected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("RK2-AAAA")]
    [InlineData("RK1-AAAA-AAAA")]
    [InlineData("RK1-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")]
    [InlineData("RK1-!AAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")]
    public void Rejects_text_that_is_not_a_recovery_key(string text)
    {
        Assert.Throws<MalformedInputException>(() => RecoveryKey.Parse(text));
    }

    [Fact]
    public void Rejects_overlong_input()
    {
        Assert.Throws<MalformedInputException>(() => RecoveryKey.Parse("RK1-" + new string('A', 10_000)));
    }

    [Fact]
    public void Recovery_key_adds_a_device_when_every_device_is_lost()
    {
        using var recovery = RecoveryKey.Generate();
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        writer.AddRecoveryKey(recovery, "paper in the safe", "phone", Key(1));
        var log = writer.Entries.ToList();

        // The phone is lost. On a new laptop the user types the printed key.
        using var typed = RecoveryKey.Parse(recovery.ToPrintableText());
        var resumed = DeviceLogWriter.Open(log);
        using var laptopKey = Key(2);
        var unsigned = resumed.PrepareAddDevice("laptop", "Laptop", laptopKey.PublicKey);
        resumed.CompleteAddDevice(unsigned, typed, DeviceLogWriter.SignAsNewDevice(unsigned, laptopKey));
        resumed.RevokeDevice("phone", "lost", "laptop", laptopKey);

        var set = DeviceLogVerifier.Verify(resumed.Entries);
        Assert.Equal(["laptop"], set.Devices.Select(d => d.Id));
        Assert.Equal(recovery.Id, Assert.Single(set.RecoveryKeys).Id);
    }

    [Fact]
    public void A_revoked_recovery_key_can_no_longer_add_a_device()
    {
        using var recovery = RecoveryKey.Generate();
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        writer.AddRecoveryKey(recovery, "paper", "phone", Key(1));
        writer.RevokeRecoveryKey(recovery.Id, "printed copy was photographed", "phone", Key(1));
        Assert.Equal(recovery.Id, Assert.Single(DeviceLogVerifier.Verify(writer.Entries).RevokedRecoveryKeys).Id);

        var entry = Raw(3, Hash(writer.Entries[2]), DeviceLogEntryKind.AddDevice, "laptop", "L", Encoded(Key(2)), "", [(recovery.Id, recovery.SigningKey), ("laptop", Key(2))]);
        Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. writer.Entries, entry]));
    }

    [Fact]
    public void A_recovery_key_cannot_revoke_a_device()
    {
        using var recovery = RecoveryKey.Generate();
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        writer.AddRecoveryKey(recovery, "paper", "phone", Key(1));
        Assert.Throws<UntrustedSignerException>(() => writer.RevokeDevice("phone", "stolen", recovery.Id, recovery.SigningKey));
    }

    [Fact]
    public void Registering_a_recovery_key_needs_its_own_signature()
    {
        using var recovery = RecoveryKey.Generate();
        var genesis = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1)).Entries[0];
        var entry = Raw(1, Hash(genesis), DeviceLogEntryKind.AddRecoveryKey, recovery.Id, "paper", recovery.PublicKey, "", [("phone", Key(1)), (recovery.Id, Key(5))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([genesis, entry]));
    }
}
