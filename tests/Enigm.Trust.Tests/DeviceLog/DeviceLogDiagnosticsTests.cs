using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.DeviceLog;

/// <summary>
/// What the replay says when it refuses an entry (docs/trust-device-log.md, "Verification rules"):
/// which signature of which kind failed, which chain rule broke, and why a signer is untrusted
/// (revoked device, revoked recovery key, or unknown). `trust verify-log` prints these messages, and a
/// user deciding whether a log was attacked needs the right one.
/// </summary>
public sealed class DeviceLogDiagnosticsTests
{
    private static readonly Lazy<DeviceLogWriter> SampleLog = new(Sample);

    // Sample: phone (key 1), laptop (key 2, rotated to key 4 at entry 3), tablet (key 3, revoked at entry 4).
    private static IReadOnlyList<byte[]> Entries => SampleLog.Value.Entries;

    private static byte[] Next(DeviceLogEntryKind kind, string subject, string name, byte[] key, string reason, params (string Id, Enigm.Crypto.Secrets.PrivateKey Key)[] signers) =>
        Raw(5, Hash(Entries[4]), kind, subject, name, key, reason, signers);

    public static TheoryData<string, string> SignatureSlots() => new()
    {
        { "genesis", "the genesis device's self-signature (id-MLDSA65-Ed25519-SHA512, by 'phone') does not verify" },
        { "add: authoriser", "the authorising signature (id-MLDSA65-Ed25519-SHA512, by 'phone') does not verify" },
        { "add: proof", "the new device's proof of possession (id-MLDSA65-Ed25519-SHA512, by 'desk') does not verify" },
        { "rotate: old key", "the old key's signature (id-MLDSA65-Ed25519-SHA512, by 'laptop') does not verify" },
        { "rotate: new key", "the new key's signature (id-MLDSA65-Ed25519-SHA512, by 'laptop') does not verify" },
        { "recovery: registrar", "the registering device's signature (id-MLDSA65-Ed25519-SHA512, by 'phone') does not verify" },
        { "recovery: proof", "the recovery key's proof of possession (id-MLDSA65-Ed25519-SHA512, by 'rk') does not verify" },
        { "revoke device", "the revoking device's signature (id-MLDSA65-Ed25519-SHA512, by 'phone') does not verify" },
        { "revoke recovery", "the revoking device's signature (id-MLDSA65-Ed25519-SHA512, by 'laptop') does not verify" },
    };

    [Theory]
    [MemberData(nameof(SignatureSlots))]
    public void A_signature_that_does_not_verify_is_named_by_its_role_in_the_entry(string slot, string message)
    {
        // Each entry names the right signer in every slot, but one slot is signed with another key (key 9).
        var wrong = Key(9);
        IReadOnlyList<byte[]> log = slot switch
        {
            "genesis" => [Raw(0, [], DeviceLogEntryKind.Genesis, "phone", "Phone", Encoded(Key(1)), "", [("phone", wrong)])],
            "add: authoriser" => [.. Entries, Next(DeviceLogEntryKind.AddDevice, "desk", "Desk", Encoded(Key(6)), "", ("phone", wrong), ("desk", Key(6)))],
            "add: proof" => [.. Entries, Next(DeviceLogEntryKind.AddDevice, "desk", "Desk", Encoded(Key(6)), "", ("phone", Key(1)), ("desk", wrong))],
            "rotate: old key" => [.. Entries, Next(DeviceLogEntryKind.RotateDeviceKey, "laptop", "", Encoded(Key(7)), "", ("laptop", Key(2)), ("laptop", Key(7)))],
            "rotate: new key" => [.. Entries, Next(DeviceLogEntryKind.RotateDeviceKey, "laptop", "", Encoded(Key(7)), "", ("laptop", Key(4)), ("laptop", wrong))],
            "recovery: registrar" => [.. Entries, Next(DeviceLogEntryKind.AddRecoveryKey, "rk", "Paper", Encoded(Key(6)), "", ("phone", wrong), ("rk", Key(6)))],
            "recovery: proof" => [.. Entries, Next(DeviceLogEntryKind.AddRecoveryKey, "rk", "Paper", Encoded(Key(6)), "", ("phone", Key(1)), ("rk", wrong))],
            "revoke device" => [.. Entries, Next(DeviceLogEntryKind.RevokeDevice, "laptop", "", [], "stolen", ("phone", wrong))],
            "revoke recovery" => RevokingRecoveryKey([("laptop", wrong)]),
            _ => throw new ArgumentOutOfRangeException(nameof(slot)),
        };

        var e = Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify(log));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal(log.Count - 1, e.Sequence);
    }

    public static TheoryData<string, int> SignatureCounts() => new()
    {
        { "revoke device", 0 },
        { "revoke device", 2 },
        { "rotate", 1 },
        { "add recovery", 1 },
        { "revoke recovery", 2 },
    };

    [Theory]
    [MemberData(nameof(SignatureCounts))]
    public void Every_kind_refuses_another_number_of_signatures_than_it_needs(string kind, int count)
    {
        // Valid signatures by trusted signers, one too few or one too many: never accepted, never a crash.
        (string, Enigm.Crypto.Secrets.PrivateKey)[] signers = [("phone", Key(1)), ("laptop", Key(4))];
        var chosen = signers[..count];
        IReadOnlyList<byte[]> log = kind switch
        {
            "revoke device" => [.. Entries, Next(DeviceLogEntryKind.RevokeDevice, "laptop", "", [], "stolen", chosen)],
            "rotate" => [.. Entries, Next(DeviceLogEntryKind.RotateDeviceKey, "laptop", "", Encoded(Key(7)), "", ("laptop", Key(4)))],
            "add recovery" => [.. Entries, Next(DeviceLogEntryKind.AddRecoveryKey, "rk", "Paper", Encoded(Key(6)), "", ("phone", Key(1)))],
            "revoke recovery" => RevokingRecoveryKey(chosen),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var e = Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify(log));

        Assert.Contains($"signature(s), not {count}", e.Message, StringComparison.Ordinal);
        Assert.Equal(log.Count - 1, e.Sequence);
    }

    [Fact]
    public void A_broken_link_and_a_log_that_does_not_start_with_genesis_have_their_own_messages()
    {
        var unlinked = Raw(1, new byte[32], DeviceLogEntryKind.AddDevice, "laptop", "Laptop", Encoded(Key(2)), "", [("phone", Key(1)), ("laptop", Key(2))]);
        var gap = Assert.Throws<DeviceLogGapException>(() => DeviceLogVerifier.Verify([Entries[0], unlinked]));
        Assert.Contains("its previous hash is not the hash of the entry before it", gap.Message, StringComparison.Ordinal);

        var headless = Raw(0, [], DeviceLogEntryKind.AddDevice, "laptop", "Laptop", Encoded(Key(2)), "", [("phone", Key(1)), ("laptop", Key(2))]);
        var malformed = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([headless]));
        Assert.Contains("a log starts with a genesis entry, not AddDevice", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stranger_is_unknown_even_in_a_log_without_revocations()
    {
        var entry = Raw(1, Hash(Entries[0]), DeviceLogEntryKind.AddDevice, "laptop", "Laptop", Encoded(Key(2)), "", [("stranger", Key(7)), ("laptop", Key(2))]);
        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([Entries[0], entry]));
        Assert.Contains("signed by 'stranger', which this log does not know", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_of_several_revoked_devices_and_recovery_keys_is_named_as_revoked()
    {
        var writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        writer.AddDevice("laptop", "Laptop", Key(2), "phone", Key(1));
        writer.AddDevice("tablet", "Tablet", Key(3), "phone", Key(1));
        writer.RevokeDevice("laptop", "sold", "phone", Key(1));
        writer.RevokeDevice("tablet", "lost", "phone", Key(1));
        var log = writer.Entries.ToList();
        log.Add(Raw(5, Hash(log[4]), DeviceLogEntryKind.AddRecoveryKey, "rk1", "Paper 1", Encoded(Key(6)), "", [("phone", Key(1)), ("rk1", Key(6))]));
        log.Add(Raw(6, Hash(log[5]), DeviceLogEntryKind.AddRecoveryKey, "rk2", "Paper 2", Encoded(Key(7)), "", [("phone", Key(1)), ("rk2", Key(7))]));
        log.Add(Raw(7, Hash(log[6]), DeviceLogEntryKind.RevokeRecoveryKey, "rk1", "", [], "burnt", [("phone", Key(1))]));
        log.Add(Raw(8, Hash(log[7]), DeviceLogEntryKind.RevokeRecoveryKey, "rk2", "", [], "burnt", [("phone", Key(1))]));
        var set = DeviceLogVerifier.Verify(log);
        Assert.Equal(["laptop", "tablet"], set.RevokedDevices.Select(d => d.Id));
        Assert.Equal(["rk1", "rk2"], set.RevokedRecoveryKeys.Select(r => r.Id));

        foreach (var (signer, key, what) in new[] { ("laptop", Key(2), "a revoked device"), ("tablet", Key(3), "a revoked device"), ("rk1", Key(6), "a revoked recovery key"), ("rk2", Key(7), "a revoked recovery key") })
        {
            var entry = Raw(9, Hash(log[8]), DeviceLogEntryKind.AddDevice, "desk", "Desk", Encoded(Key(8)), "", [(signer, key), ("desk", Key(8))]);
            var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. log, entry]));
            Assert.Contains($"signed by '{signer}', {what}", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Recovery_keys_are_listed_in_the_order_they_were_registered()
    {
        var log = WithRecoveryKey().ToList();
        log.Add(Raw(6, Hash(log[5]), DeviceLogEntryKind.AddRecoveryKey, "rk0", "Paper 0", Encoded(Key(7)), "", [("phone", Key(1)), ("rk0", Key(7))]));
        var set = DeviceLogVerifier.Verify(log);
        Assert.Equal([("rk", 5L), ("rk0", 6L)], set.RecoveryKeys.Select(r => (r.Id, r.AddedAt)));
    }

    [Fact]
    public void A_subject_key_of_a_non_signature_algorithm_is_malformed_and_named()
    {
        var agreement = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519);
        using var x25519 = agreement.GenerateKey();
        var key = new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Get(1), KeyAgreementAlgorithm.X25519, x25519.PublicKey).Encode();
        var entry = Next(DeviceLogEntryKind.AddDevice, "desk", "Desk", key, "", ("phone", Key(1)), ("desk", Key(6)));

        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Entries, entry]));

        Assert.Contains("Device log entry 5: subject public key: X25519 is not a signature algorithm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_before_genesis_says_so()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new DeviceLogReplay().Snapshot());
        Assert.Equal("No genesis entry has been applied.", e.Message);
    }

    // The sample log plus recovery key "rk" (key 6) registered by the phone at entry 5.
    private static IReadOnlyList<byte[]> WithRecoveryKey() =>
        [.. Entries, Next(DeviceLogEntryKind.AddRecoveryKey, "rk", "Paper", Encoded(Key(6)), "", ("phone", Key(1)), ("rk", Key(6)))];

    // WithRecoveryKey, then entry 6 revoking "rk" signed by `signers` (signatures are randomised, so the
    // link is computed from this very copy of entry 5).
    private static IReadOnlyList<byte[]> RevokingRecoveryKey(IReadOnlyList<(string Id, Enigm.Crypto.Secrets.PrivateKey Key)> signers)
    {
        var log = WithRecoveryKey();
        return [.. log, Raw(6, Hash(log[5]), DeviceLogEntryKind.RevokeRecoveryKey, "rk", "", [], "lost", signers)];
    }
}
