using Enigm.Crypto.Errors;
using Enigm.Trust.DeviceLog;
using Enigm.Trust.Errors;
using Enigm.Trust.Recovery;
using Xunit;
using static Enigm.Trust.Tests.DeviceLog.DeviceLogTestKit;

namespace Enigm.Trust.Tests.Recovery;

/// <summary>
/// What a registered recovery key may sign (docs/trust-device-log.md, "Verification rules"): only the
/// addition of a device. Registering or revoking recovery keys, revoking or rotating devices stays
/// with trusted devices, and a recovery key's id and public key are never reused.
/// </summary>
public sealed class RecoveryKeyAuthorityTests : IDisposable
{
    private readonly RecoveryKey _recovery = RecoveryKey.Generate();
    private readonly RecoveryKey _second = RecoveryKey.Generate();
    private readonly DeviceLogWriter _writer;

    public RecoveryKeyAuthorityTests()
    {
        _writer = DeviceLogWriter.CreateGenesis("phone", "Phone", Key(1));
        _writer.AddRecoveryKey(_recovery, "paper in the safe", "phone", Key(1));
    }

    private IReadOnlyList<byte[]> Log => _writer.Entries;

    public void Dispose()
    {
        _recovery.Dispose();
        _second.Dispose();
    }

    [Fact]
    public void A_recovery_key_cannot_register_another_recovery_key()
    {
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.AddRecoveryKey, _second.Id, "second paper", _second.PublicKey, "",
            [(_recovery.Id, _recovery.SigningKey), (_second.Id, _second.SigningKey)]);

        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Equal(2, e.Sequence);
        Assert.Contains($"recovery key '{_recovery.Id}' may only authorise adding a device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trusted_device_registers_a_second_recovery_key_with_its_label_and_position()
    {
        _writer.AddRecoveryKey(_second, "second paper", "phone", Key(1));

        var set = DeviceLogVerifier.Verify(Log);
        Assert.Equal([(_recovery.Id, "paper in the safe", 1L), (_second.Id, "second paper", 2L)], set.RecoveryKeys.Select(r => (r.Id, r.Label, r.AddedAt)));
        Assert.Equal(_second.PublicKey, set.RecoveryKeys[1].PublicKey);
        Assert.Empty(set.RevokedRecoveryKeys);
    }

    [Fact]
    public void A_recovery_key_cannot_revoke_a_recovery_key()
    {
        _writer.AddRecoveryKey(_second, "second paper", "phone", Key(1));
        var entry = Raw(3, Hash(Log[2]), DeviceLogEntryKind.RevokeRecoveryKey, _second.Id, "", [], "leaked", [(_recovery.Id, _recovery.SigningKey)]);

        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Contains("may only authorise adding a device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recovery_key_cannot_rotate_itself_like_a_device()
    {
        using var next = RecoveryKey.Generate();
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.RotateDeviceKey, _recovery.Id, "", next.PublicKey, "",
            [(_recovery.Id, _recovery.SigningKey), (_recovery.Id, next.SigningKey)]);

        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Contains("may only authorise adding a device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revoked_recovery_key_is_recorded_with_position_and_reason_and_named_when_it_signs()
    {
        _writer.RevokeRecoveryKey(_recovery.Id, "photographed", "phone", Key(1));
        var set = DeviceLogVerifier.Verify(Log);
        Assert.Empty(set.RecoveryKeys);
        var revoked = Assert.Single(set.RevokedRecoveryKeys);
        Assert.Equal((_recovery.Id, "paper in the safe", 1L, (long?)2, "photographed"), (revoked.Id, revoked.Label, revoked.AddedAt, revoked.RevokedAt, revoked.Reason));

        var entry = Raw(3, Hash(Log[2]), DeviceLogEntryKind.AddDevice, "laptop", "Laptop", Encoded(Key(2)), "", [(_recovery.Id, _recovery.SigningKey), ("laptop", Key(2))]);
        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Equal(3, e.Sequence);
        Assert.Contains($"signed by '{_recovery.Id}', a revoked recovery key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoking_an_unregistered_recovery_key_is_malformed()
    {
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.RevokeRecoveryKey, _second.Id, "", [], "never added", [("phone", Key(1))]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Contains($"'{_second.Id}' is not a registered recovery key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoking_a_device_id_as_a_recovery_key_is_malformed()
    {
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.RevokeRecoveryKey, "phone", "", [], "wrong kind", [("phone", Key(1))]);
        Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
    }

    [Fact]
    public void Revoking_a_recovery_key_needs_one_signature_of_a_trusted_device()
    {
        var twice = Raw(2, Hash(Log[1]), DeviceLogEntryKind.RevokeRecoveryKey, _recovery.Id, "", [], "leaked", [("phone", Key(1)), ("phone", Key(1))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([.. Log, twice]));

        var forged = Raw(2, Hash(Log[1]), DeviceLogEntryKind.RevokeRecoveryKey, _recovery.Id, "", [], "leaked", [("phone", Key(7))]);
        Assert.Throws<DeviceLogSignatureException>(() => DeviceLogVerifier.Verify([.. Log, forged]));
    }

    [Fact]
    public void A_recovery_keys_id_cannot_be_taken_by_a_device()
    {
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.AddDevice, _recovery.Id, "Laptop", Encoded(Key(2)), "", [("phone", Key(1)), (_recovery.Id, Key(2))]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Contains("already used in this log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recovery_keys_public_key_cannot_become_a_device_key()
    {
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.AddDevice, "laptop", "Laptop", _recovery.PublicKey, "", [("phone", Key(1)), ("laptop", _recovery.SigningKey)]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Contains("the public key is already used in this log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_id_cannot_be_registered_as_a_recovery_key()
    {
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.AddRecoveryKey, "phone", "paper", _second.PublicKey, "", [("phone", Key(1)), ("phone", _second.SigningKey)]);
        var e = Assert.Throws<MalformedInputException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Contains("id 'phone' is already used", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_a_recovery_key_signed_by_an_unknown_device_is_untrusted()
    {
        var entry = Raw(2, Hash(Log[1]), DeviceLogEntryKind.AddRecoveryKey, _second.Id, "paper", _second.PublicKey, "", [("stranger", Key(9)), (_second.Id, _second.SigningKey)]);
        var e = Assert.Throws<UntrustedSignerException>(() => DeviceLogVerifier.Verify([.. Log, entry]));
        Assert.Contains("signed by 'stranger', which this log does not know", e.Message, StringComparison.Ordinal);
    }
}
