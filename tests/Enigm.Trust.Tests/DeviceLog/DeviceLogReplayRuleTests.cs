using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// The replay rules one by one (docs/trust-device-log.md, "Verification rules"): which fields each
/// kind carries, how many signatures, in which order, the hash chain, and that a refused entry
/// leaves the replay exactly as it was.
/// </summary>
public sealed class DeviceLogReplayRuleTests
{
    private static readonly Lazy<DeviceLogWriter> SampleLog = new(Sample);

    private static IReadOnlyList<byte[]> Entries => SampleLog.Value.Entries;

    [Fact]
    public void A_fresh_replay_has_no_head_account_or_snapshot()
    {
        var replay = new DeviceLogReplay();
        Assert.Equal(0, replay.Count);
        Assert.Null(replay.Head);
        Assert.Null(replay.Account);
        Assert.Throws<InvalidOperationException>(replay.Snapshot);
        Assert.Throws<ArgumentNullException>(() => replay.Apply(null!));
    }

    [Fact]
    public void Each_applied_entry_moves_the_head_and_the_account_is_the_genesis_hash()
    {
        var replay = new DeviceLogReplay();
        for (var i = 0; i < Entries.Count; i++)
        {
            var entry = replay.Apply(Entries[i]);
            Assert.Equal(i, entry.Sequence);
            Assert.Equal(i + 1, replay.Count);
            Assert.Equal(new DeviceLogHead(i, Hash(Entries[i])), replay.Head);
            Assert.Equal(Hash(Entries[0]), replay.Account!.Bytes.ToArray());
        }

        Assert.Equal(1, replay.Snapshot().SuiteId);
    }

    [Fact]
    public void A_refused_entry_leaves_the_replay_unchanged_and_the_right_entry_still_applies()
    {
        var replay = new DeviceLogReplay();
        replay.Apply(Entries[0]);
        replay.Apply(Entries[1]);
        var before = replay.Snapshot();

        var bad = Raw(2, Hash(Entries[1]), DeviceLogEntryKind.AddDevice, "tablet", "Tablet", Encoded(Key(3)), "", [("laptop", Key(2)), ("tablet", Key(9))]);
        Assert.Throws<DeviceLogSignatureException>(() => replay.Apply(bad));

        Assert.Equal(2, replay.Count);
        Assert.Equal(before.Head, replay.Head);
        Assert.Equal(before.Devices.Select(d => d.Id), replay.Snapshot().Devices.Select(d => d.Id));
        foreach (var entry in Entries.Skip(2)) replay.Apply(entry);
        Assert.Equal(5, replay.Count);
    }

    [Fact]
    public void Devices_are_listed_in_the_order_they_were_added_even_after_a_revocation()
    {
        // Revoking the middle device frees a slot that a later device must not jump into.
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        writer.AddDevice("laptop", "Laptop", Key(2), "phone", Key(1));
        writer.AddDevice("tablet", "Tablet", Key(3), "phone", Key(1));
        writer.RevokeDevice("laptop", "sold", "phone", Key(1));
        writer.AddDevice("desk", "Desk", Key(4), "phone", Key(1));

        var set = DeviceLogVerifier.Verify(writer.Entries);
        Assert.Equal(["phone", "tablet", "desk"], set.Devices.Select(d => d.Id));
        Assert.Equal([0L, 2L, 4L], set.Devices.Select(d => d.AddedAt));
        var sold = Assert.Single(set.RevokedDevices);
        Assert.Equal(("laptop", "Laptop", 1L, 3L, "phone", "sold"), (sold.Id, sold.Name, sold.AddedAt, sold.RevokedAt, sold.RevokedBy, sold.Reason));
        Assert.Equal(Encoded(Key(2)), sold.PublicKey);
    }

    [Fact]
    public void A_rotated_key_is_the_devices_key_from_then_on_and_can_never_be_added_again()
    {
        var set = DeviceLogVerifier.Verify(Entries);
        var laptop = set.Find("laptop")!;
        Assert.Equal((1L, 3L), (laptop.AddedAt, laptop.KeySince));
        Assert.Equal(Encoded(Key(4)), laptop.PublicKey);

        var add = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "copy", "Copy", Encoded(Key(4)), "", [("phone", Key(1)), ("copy", Key(4))]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, add]));
        Assert.Contains("the public key is already used in this log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rotated_key_signs_for_the_device_afterwards()
    {
        var writer = DeviceLogWriter.Open(Entries);
        writer.AddDevice("desk", "Desk", Key(5), "laptop", Key(4));
        Assert.True(DeviceLogVerifier.Verify(writer.Entries).IsTrusted("desk"));
    }

    [Fact]
    public void Rotating_an_unknown_or_revoked_device_is_untrusted()
    {
        var unknown = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.RotateDeviceKey, "ghost", "", Encoded(Key(6)), "", [("ghost", Key(7)), ("ghost", Key(6))]);
        Assert.Contains("which this log does not know", Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Entries, unknown])).Message, StringComparison.Ordinal);

        var revoked = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.RotateDeviceKey, "tablet", "", Encoded(Key(6)), "", [("tablet", Key(3)), ("tablet", Key(6))]);
        Assert.Contains("signed by 'tablet', a revoked device", Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Entries, revoked])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoking_a_device_that_is_not_trusted_is_malformed()
    {
        var again = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.RevokeDevice, "tablet", "", [], "twice", [("phone", Key(1))]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, again]));
        Assert.Contains("device 'tablet' is not a trusted device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_revoking_itself_is_named_in_the_error()
    {
        var entry = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.RevokeDevice, "laptop", "", [], "bye", [("laptop", Key(4))]);
        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));
        Assert.Equal(5, e.Sequence);
        Assert.Contains("device 'laptop' cannot revoke itself", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revocation_by_another_trusted_device_must_verify()
    {
        var forged = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.RevokeDevice, "laptop", "", [], "stolen", [("phone", Key(9))]);
        var e = Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([.. Entries, forged]));
        Assert.Contains("the revoking device's signature", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not verify", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, DeviceLogEntryKind, string, bool, string, string> FieldViolations() => new()
    {
        { "a name on a revocation", DeviceLogEntryKind.RevokeDevice, "Name", false, "lost", "entry has no name" },
        { "a public key on a revocation", DeviceLogEntryKind.RevokeDevice, "", true, "lost", "entry has no public key" },
        { "no reason on a revocation", DeviceLogEntryKind.RevokeDevice, "", false, "", "entry needs a reason" },
        { "no public key on an addition", DeviceLogEntryKind.AddDevice, "Desk", false, "", "entry needs a public key" },
        { "a reason on an addition", DeviceLogEntryKind.AddDevice, "Desk", true, "why", "entry has no reason" },
        { "a name on a rotation", DeviceLogEntryKind.RotateDeviceKey, "Name", true, "", "entry has no name" },
        { "a reason on a rotation", DeviceLogEntryKind.RotateDeviceKey, "", true, "why", "entry has no reason" },
        { "no reason on a recovery revocation", DeviceLogEntryKind.RevokeRecoveryKey, "", false, "", "entry needs a reason" },
    };

    [Theory]
    [MemberData(nameof(FieldViolations))]
    public void Fields_a_kind_does_not_use_must_be_empty_and_the_ones_it_uses_must_not_be(
        string what, DeviceLogEntryKind kind, string name, bool withKey, string reason, string message)
    {
        _ = what;
        var subject = kind == DeviceLogEntryKind.AddDevice ? "desk" : "laptop";
        var entry = Raw(5, Hash(Entries[4]), kind, subject, name, withKey ? Encoded(Key(6)) : [], reason, [("phone", Key(1)), (subject, Key(6))]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_with_another_number_of_signatures_than_its_kind_needs_is_refused()
    {
        // (The decoder already refuses more than two signatures on any entry.)
        var entry = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "desk", "Desk", Encoded(Key(6)), "", [("phone", Key(1))]);
        var e = Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));
        Assert.Contains("has 2 signature(s), not 1", e.Message, StringComparison.Ordinal);

        var genesis = Raw(0, [], DeviceLogEntryKind.Genesis, "phone", "p", Encoded(Key(1)), "", [("phone", Key(1)), ("phone", Key(1))]);
        e = Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([genesis]));
        Assert.Contains("has 1 signature(s), not 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signatures_in_the_wrong_order_are_a_missing_signature()
    {
        var entry = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "desk", "Desk", Encoded(Key(6)), "", [("desk", Key(6)), ("phone", Key(1))]);
        // Signature 0 names the desk, which is not yet trusted.
        Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));

        var proofNamedWrong = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "desk", "Desk", Encoded(Key(6)), "", [("phone", Key(1)), ("phone", Key(6))]);
        var e = Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([.. Entries, proofNamedWrong]));
        Assert.Contains("is missing (signature 1 names 'phone', expected 'desk')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hash_chain_is_checked_with_its_own_messages()
    {
        var withPrevious = Raw(0, new byte[32], DeviceLogEntryKind.Genesis, "phone", "p", Encoded(Key(1)), "", [("phone", Key(1))]);
        var e = Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([withPrevious]));
        Assert.Contains("a genesis entry has no previous hash", e.Message, StringComparison.Ordinal);

        var skipped = Raw(2, Hash(Entries[0]), DeviceLogEntryKind.AddDevice, "laptop", "L", Encoded(Key(2)), "", [("phone", Key(1)), ("laptop", Key(2))]);
        e = Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([Entries[0], skipped]));
        Assert.Contains("carries sequence 2; expected 1", e.Message, StringComparison.Ordinal);

        var second = Raw(1, Hash(Entries[0]), DeviceLogEntryKind.Genesis, "laptop", "L", Encoded(Key(2)), "", [("laptop", Key(2))]);
        Assert.Contains("a second genesis entry", Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([Entries[0], second])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_key_of_another_algorithm_than_the_suite_names_is_malformed()
    {
        var scheme = Enigm.Crypto.Providers.CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa87EcdsaP384);
        using var other = scheme.GenerateKey();
        var key = new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Get(1), SignatureAlgorithm.MlDsa87EcdsaP384, other.PublicKey).Encode();
        var body = DeviceLogEncoding.EncodeBody(new DeviceLogEncoding.Body(0, [], DeviceLogEntryKind.Genesis, DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000), "phone", "p", key, ""));
        var genesis = DeviceLogEncoding.EncodeEntry(1, body, [new DeviceLogSignature("phone", scheme.Sign(other, DeviceLogEncoding.SignedMessage(1, body)))]);

        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([genesis]));
        Assert.Contains("device key is", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undecodable_subject_key_is_malformed_and_named_as_such()
    {
        var entry = Raw(5, Hash(Entries[4]), DeviceLogEntryKind.AddDevice, "desk", "Desk", [1, 2, 3], "", [("phone", Key(1)), ("desk", Key(6))]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));
        Assert.Contains("Device log entry 5: subject public key:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_entry_names_its_position()
    {
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([Entries[0], [0xa0]]));
        Assert.StartsWith("Device log entry 1:", e.Message, StringComparison.Ordinal);
    }
}
