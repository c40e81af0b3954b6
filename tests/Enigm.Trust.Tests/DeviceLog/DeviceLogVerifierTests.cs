using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>Replaying device logs: the trusted set, and one test per rejection with its typed error.</summary>
public sealed class DeviceLogVerifierTests
{
    private static readonly Lazy<DeviceLogWriter> SampleLog = new(Sample);

    private static IReadOnlyList<byte[]> Entries => SampleLog.Value.Entries;

    [Fact]
    public void Replay_yields_the_trusted_devices_with_names_keys_and_positions()
    {
        var set = DeviceLogVerifier.Verify(Entries);

        Assert.Equal(["phone", "laptop"], set.Devices.Select(d => d.Id));
        var laptop = set.Find("laptop")!;
        Assert.Equal("Work laptop", laptop.Name);
        Assert.Equal(1, laptop.AddedAt);
        Assert.Equal(3, laptop.KeySince);
        Assert.Equal(Encoded(Key(4)), laptop.PublicKey);
        var tablet = Assert.Single(set.RevokedDevices);
        Assert.Equal(("tablet", 4L, "phone", "lost on a train"), (tablet.Id, tablet.RevokedAt, tablet.RevokedBy, tablet.Reason));
        Assert.False(set.IsTrusted("tablet"));
        Assert.Equal(new DeviceLogHead(4, Hash(Entries[4])), set.Head);
        Assert.Equal(Hash(Entries[0]), set.Account.Bytes.ToArray());
    }

    [Fact]
    public void Account_fingerprint_does_not_change_when_devices_change()
    {
        var genesisOnly = DeviceLogVerifier.Verify([Entries[0]]);
        Assert.Equal(genesisOnly.Account, DeviceLogVerifier.Verify(Entries).Account);
    }

    [Fact]
    public void Accepts_the_same_log_or_an_extension_of_the_last_seen_head()
    {
        var head = DeviceLogVerifier.Verify(Entries.Take(3).ToList()).Head;
        Assert.Equal(4, DeviceLogVerifier.Verify(Entries, head).Head.Sequence);
        Assert.Equal(head, DeviceLogVerifier.Verify(Entries.Take(3).ToList(), head).Head);
    }

    [Fact]
    public void Rejects_a_fork_at_a_position_already_seen()
    {
        var seen = DeviceLogVerifier.Verify(Entries).Head;
        // Same first four entries, then a different entry 4 (revoke by laptop instead of phone).
        var fork = DeviceLogWriter.Open(Entries.Take(4).ToList());
        fork.RevokeDevice("tablet", "lost on a train", "laptop", Key(4));

        var e = Assert.Throws<DeviceLogForkException>(() => DeviceLogVerifier.Verify(fork.Entries, seen));
        Assert.Equal(4, e.Sequence);
    }

    [Fact]
    public void Rejects_a_log_of_another_account_as_a_fork_at_genesis()
    {
        var seen = DeviceLogVerifier.Verify(Entries).Head;
        var other = DeviceLogWriter.CreateGenesis("phone", "Alice's phone", Key(9));
        for (var i = 0; i < 4; i++) other.AddDevice($"d{i}", "d", Key(20 + i), "phone", Key(9));
        Assert.Throws<DeviceLogForkException>(() => DeviceLogVerifier.Verify(other.Entries, seen));
    }

    [Fact]
    public void Rejects_a_rollback_to_a_head_older_than_one_seen()
    {
        var seen = DeviceLogVerifier.Verify(Entries).Head;
        var e = Assert.Throws<DeviceLogRollbackException>(() => DeviceLogVerifier.Verify(Entries.Take(3).ToList(), seen));
        Assert.Equal(3, e.Sequence);
    }

    [Fact]
    public void Rejects_a_missing_entry_as_a_gap()
    {
        var e = Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([Entries[0], Entries[1], Entries[3]]));
        Assert.Equal(2, e.Sequence);
    }

    [Fact]
    public void Rejects_a_repeated_entry_as_a_gap()
    {
        var e = Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([Entries[0], Entries[1], Entries[1]]));
        Assert.Equal(2, e.Sequence);
    }

    [Fact]
    public void Rejects_a_broken_previous_hash_link_as_a_gap()
    {
        var bad = Raw(1, new byte[32], DeviceLogEntryKind.AddDevice, "laptop", "x", Encoded(Key(2)), "", [("phone", Key(1)), ("laptop", Key(2))]);
        var e = Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([Entries[0], bad]));
        Assert.Equal(1, e.Sequence);
    }

    [Fact]
    public void Rejects_an_empty_log()
    {
        Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([]));
    }

    [Fact]
    public void Rejects_a_tampered_signature()
    {
        var tampered = Entries.Select(e => (byte[])e.Clone()).ToList();
        tampered[2][^10] ^= 0x01;
        var e = Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify(tampered));
        Assert.Equal(2, e.Sequence);
    }

    [Fact]
    public void Rejects_an_addition_without_the_new_devices_proof_of_possession()
    {
        var only = Raw(1, Hash(Entries[0]), DeviceLogEntryKind.AddDevice, "laptop", "x", Encoded(Key(2)), "", [("phone", Key(1))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([Entries[0], only]));

        // The "proof" is made by another key than the one being added.
        var forged = Raw(1, Hash(Entries[0]), DeviceLogEntryKind.AddDevice, "laptop", "x", Encoded(Key(2)), "", [("phone", Key(1)), ("laptop", Key(5))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([Entries[0], forged]));
    }

    [Fact]
    public void Rejects_a_rotation_not_signed_by_the_new_key()
    {
        var log = Entries.Take(3).ToList();
        var rotation = Raw(3, Hash(log[2]), DeviceLogEntryKind.RotateDeviceKey, "laptop", "", Encoded(Key(4)), "", [("laptop", Key(2)), ("laptop", Key(2))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([.. log, rotation]));
    }

    [Fact]
    public void Rejects_an_entry_signed_by_a_revoked_device()
    {
        // Entry 4 revoked the tablet (key 3); it then tries to add a device.
        var entry = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "evil", "Evil", Encoded(Key(6)), "", [("tablet", Key(3)), ("evil", Key(6))]);
        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));
        Assert.Equal(5, e.Sequence);
    }

    [Fact]
    public void Rejects_an_old_key_after_rotation()
    {
        // The laptop rotated from key 2 to key 4 at entry 3; its old key no longer verifies.
        var entry = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "new", "New", Encoded(Key(6)), "", [("laptop", Key(2)), ("new", Key(6))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));
    }

    [Fact]
    public void Rejects_an_entry_signed_by_an_unknown_device()
    {
        var entry = Raw(1, Hash(Entries[0]), DeviceLogEntryKind.AddDevice, "laptop", "x", Encoded(Key(2)), "", [("stranger", Key(7)), ("laptop", Key(2))]);
        Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([Entries[0], entry]));
    }

    [Fact]
    public void Rejects_a_device_revoking_itself()
    {
        var entry = Raw(2, Hash(Entries[1]), DeviceLogEntryKind.RevokeDevice, "laptop", "", [], "bye", [("laptop", Key(2))]);
        Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([Entries[0], Entries[1], entry]));
    }

    [Fact]
    public void Rejects_an_unknown_suite()
    {
        var genesis = Raw(0, [], DeviceLogEntryKind.Genesis, "phone", "p", Encoded(Key(1)), "", [("phone", Key(1))], suite: 9);
        Assert.Equal(9, Assert.Throws<UnknownSuiteException>(() => DeviceLogVerifier.Verify([genesis])).SuiteId);
    }

    [Fact]
    public void Rejects_a_suite_the_policy_refuses()
    {
        var policy = SuitePolicy.Default.With(2, SuiteStatus.Preferred).With(1, SuiteStatus.Refused);
        Assert.Throws<SuiteRefusedException>(() => DeviceLogVerifier.Verify(Entries, policy: policy));
    }

    [Fact]
    public void Accepts_a_log_made_under_suite_2()
    {
        var options = new DeviceLogWriterOptions { Policy = SuitePolicy.Default.With(2, SuiteStatus.Preferred) };
        var writer = DeviceLogWriter.CreateGenesis("phone", "p", Key(1), options);
        Assert.Equal(2, DeviceLogVerifier.Verify(writer.Entries).SuiteId);
    }

    [Fact]
    public void Rejects_a_log_with_more_entries_than_the_limit()
    {
        var limits = DeviceLogLimits.Default with { MaxEntries = 4 };
        Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: limits));
    }

    [Fact]
    public void Rejects_an_entry_over_the_size_limit()
    {
        var limits = DeviceLogLimits.Default with { MaxEntryBytes = 6000 };
        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: limits));
        Assert.Equal(1, e.Sequence);
    }

    [Fact]
    public void Rejects_a_log_over_the_total_size_limit()
    {
        var limits = DeviceLogLimits.Default with { MaxLogBytes = Entries.Take(3).Sum(e => e.Length) };
        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: limits));
        Assert.Equal(3, e.Sequence);
    }

    [Fact]
    public void Rejects_more_trusted_devices_than_the_limit()
    {
        var limits = DeviceLogLimits.Default with { MaxTrustedKeys = 2 };
        var e = Assert.Throws<DeviceLogTooLargeException>(() => DeviceLogVerifier.Verify(Entries, limits: limits));
        Assert.Equal(2, e.Sequence);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("85")]
    [InlineData("a0")]
    [InlineData("8501011040")]
    public void Rejects_unparsable_bytes_as_malformed(string hex)
    {
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([Convert.FromHexString(hex)]));
    }

    [Fact]
    public void Rejects_a_truncated_entry_as_malformed()
    {
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([Entries[0][..^1]]));
    }

    [Fact]
    public void Rejects_a_log_that_does_not_start_with_genesis()
    {
        var entry = Raw(0, [], DeviceLogEntryKind.AddDevice, "phone", "p", Encoded(Key(1)), "", [("phone", Key(1)), ("phone", Key(1))]);
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([entry]));
    }

    [Fact]
    public void Rejects_reusing_a_device_id()
    {
        var entry = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "tablet", "Tablet again", Encoded(Key(8)), "", [("phone", Key(1)), ("tablet", Key(8))]);
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));
    }

    [Fact]
    public void Rejects_bringing_back_a_revoked_devices_key()
    {
        // The tablet (key 3) was revoked at entry 4: neither a new id nor a rotation may reintroduce its key.
        var add = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "tablet2", "Tablet", Encoded(Key(3)), "", [("phone", Key(1)), ("tablet2", Key(3))]);
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, add]));
        var rotate = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.RotateDeviceKey, "phone", "", Encoded(Key(3)), "", [("phone", Key(1)), ("phone", Key(3))]);
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, rotate]));
    }

    [Fact]
    public void Rejects_a_genesis_signed_by_another_key()
    {
        var genesis = Raw(0, [], DeviceLogEntryKind.Genesis, "phone", "p", Encoded(Key(1)), "", [("phone", Key(2))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([genesis]));
    }
}
