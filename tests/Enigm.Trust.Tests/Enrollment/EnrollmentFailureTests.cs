using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Trust.Enrollment;
using Enigm.Trust.Errors;
using Enigm.Trust.Tests.States;
using Enigm.Trust.Tests.Verification;
using Xunit;

namespace Enigm.Trust.Tests.Enrollment;

/// <summary>Every failure is typed, aborts the session and leaves the device log untouched.</summary>
public sealed class EnrollmentFailureTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Sas_mismatch_on_the_existing_device_aborts_and_never_touches_the_log()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        pair.New.Confirm(true);
        var info = pair.New.SendDeviceInfo(pair.Cosigner, "tablet");

        Assert.Throws<SasMismatchException>(() => existing.Confirm(false));

        Assert.Equal(EnrollmentStage.Aborted, existing.Stage);
        Assert.Throws<EnrollmentCodeInvalidException>(() => existing.ReceiveDeviceInfo(info));
        Assert.Empty(pair.Log.Prepared);
        Assert.Empty(pair.Log.Appended);
    }

    [Fact]
    public void Sas_mismatch_on_the_new_device_means_it_never_sends_its_key_or_signs()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        existing.Confirm(true);

        Assert.Throws<SasMismatchException>(() => pair.New.Confirm(false));

        Assert.Throws<EnrollmentCodeInvalidException>(() => pair.New.SendDeviceInfo(pair.Cosigner, "tablet"));
        Assert.Equal(0, pair.Cosigner.Signed);
        Assert.Empty(pair.Log.Prepared);
    }

    [Fact]
    public void A_man_in_the_middle_relaying_two_channels_shows_different_sas_on_each_side()
    {
        // Mallory shows her own code to Alice's device and opens her own channel to the real new device.
        using var pair = new EnrollmentPair(_clock);
        using var mallorySide = NewDeviceEnrollment.Start(pair.Options, _clock);
        using var existing = ExistingDeviceEnrollment.Open(mallorySide.Code.ToText(), Fingerprints.Alice, pair.Log, pair.Options, _clock);
        mallorySide.ReceiveReveal(existing.ReceiveReady(mallorySide.ReceiveHello(existing.Hello)));
        using var malloryToNew = ExistingDeviceEnrollment.Open(pair.New.Code.ToText(), Fingerprints.Alice, new FakeEnrollmentLog(), pair.Options, _clock);
        pair.New.ReceiveReveal(malloryToNew.ReceiveReady(pair.New.ReceiveHello(malloryToNew.Hello)));

        Assert.False(existing.Sas!.SameAs(pair.New.Sas!));
        Assert.Throws<SasMismatchException>(() => existing.Confirm(false));
        Assert.Empty(pair.Log.Prepared);
    }

    [Fact]
    public void Replayed_hello_is_a_replay_error()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.OpenExisting();
        pair.New.ReceiveHello(existing.Hello);

        Assert.Throws<EnrollmentReplayException>(() => pair.New.ReceiveHello(existing.Hello));
        Assert.Equal(EnrollmentStage.Aborted, pair.New.Stage);
    }

    [Fact]
    public void A_second_existing_device_using_the_same_code_is_refused_as_replay()
    {
        using var pair = new EnrollmentPair(_clock);
        using var first = pair.OpenExisting();
        using var second = pair.OpenExisting();
        pair.New.ReceiveHello(first.Hello);

        Assert.Throws<EnrollmentReplayException>(() => pair.New.ReceiveHello(second.Hello));
    }

    [Fact]
    public void Replayed_channel_messages_are_replay_errors_and_the_log_is_called_once()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        existing.Confirm(true);
        pair.New.Confirm(true);
        var info = pair.New.SendDeviceInfo(pair.Cosigner, "tablet");
        existing.ReceiveDeviceInfo(info);

        Assert.Throws<EnrollmentReplayException>(() => existing.ReceiveDeviceInfo(info));
        Assert.Single(pair.Log.Prepared);
        Assert.Empty(pair.Log.Appended);
    }

    [Fact]
    public void Replayed_reveal_is_a_replay_error_on_the_new_device()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.OpenExisting();
        var reveal = existing.ReceiveReady(pair.New.ReceiveHello(existing.Hello));
        pair.New.ReceiveReveal(reveal);

        Assert.Throws<EnrollmentReplayException>(() => pair.New.ReceiveReveal(reveal));
    }

    [Fact]
    public void Expired_code_is_refused_by_the_existing_device()
    {
        using var pair = new EnrollmentPair(_clock, EnrollmentOptions.Default with { CodeLifetime = TimeSpan.FromMinutes(2) });
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Throws<EnrollmentExpiredException>(() => pair.OpenExisting());
        Assert.Empty(pair.Log.Prepared);
    }

    [Fact]
    public void Hello_arriving_after_expiry_is_refused_by_the_new_device()
    {
        using var pair = new EnrollmentPair(_clock, EnrollmentOptions.Default with { CodeLifetime = TimeSpan.FromMinutes(2) });
        _clock.Advance(TimeSpan.FromMinutes(1));
        using var existing = pair.OpenExisting();
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Throws<EnrollmentExpiredException>(() => pair.New.ReceiveHello(existing.Hello));
        Assert.Equal(EnrollmentStage.Aborted, pair.New.Stage);
    }

    [Fact]
    public void Code_is_accepted_until_just_before_its_lifetime_ends()
    {
        using var pair = new EnrollmentPair(_clock, EnrollmentOptions.Default with { CodeLifetime = TimeSpan.FromMinutes(2) });
        _clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        using var existing = pair.OpenExisting();

        pair.New.ReceiveHello(existing.Hello);

        Assert.Equal(EnrollmentStage.ChannelOpen, pair.New.Stage);
    }

    [Fact]
    public void Tampered_one_time_secret_fails_closed_as_an_invalid_code()
    {
        using var pair = new EnrollmentPair(_clock);
        var bytes = pair.New.Code.ToBytes();
        bytes[^1] ^= 0x80; // the secret is the last 32 bytes
        using var existing = ExistingDeviceEnrollment.Open(bytes, Fingerprints.Alice, pair.Log, pair.Options, _clock);

        Assert.Throws<EnrollmentCodeInvalidException>(() => pair.New.ReceiveHello(existing.Hello));
        Assert.Equal(EnrollmentStage.Aborted, pair.New.Stage);
        Assert.Null(pair.New.Sas);
        Assert.Empty(pair.Log.Prepared);
    }

    [Fact]
    public void Wrong_xwing_key_in_the_code_fails_closed_as_an_invalid_code()
    {
        using var pair = new EnrollmentPair(_clock);
        using var otherKey = CryptoProviders.Default.Kem(pair.New.Code.Suite.HybridKem).GenerateKeyPair();
        var bytes = pair.New.Code.ToBytes();
        otherKey.PublicKey.CopyTo(bytes, bytes.Length - 32 - otherKey.PublicKey.Length);
        using var existing = ExistingDeviceEnrollment.Open(bytes, Fingerprints.Alice, pair.Log, pair.Options, _clock);

        Assert.Throws<EnrollmentCodeInvalidException>(() => pair.New.ReceiveHello(existing.Hello));
        Assert.Empty(pair.Log.Prepared);
    }

    [Fact]
    public void Hello_for_another_code_is_an_invalid_code()
    {
        using var pair = new EnrollmentPair(_clock);
        using var other = new EnrollmentPair(_clock);
        using var existing = other.OpenExisting();

        Assert.Throws<EnrollmentCodeInvalidException>(() => pair.New.ReceiveHello(existing.Hello));
    }

    [Theory]
    [InlineData(12)]      // code id
    [InlineData(100)]     // KEM ciphertext
    [InlineData(1150)]    // account fingerprint
    [InlineData(1200)]    // SAS commitment
    [InlineData(1225)]    // AEAD tag
    public void Tampered_hello_fails_closed(int index)
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.OpenExisting();

        var e = Assert.ThrowsAny<EnrollmentException>(() => pair.New.ReceiveHello(Bytes.Flip(existing.Hello, index)));

        Assert.IsType<EnrollmentCodeInvalidException>(e);
        Assert.Equal(EnrollmentStage.Aborted, pair.New.Stage);
    }

    [Fact]
    public void Ready_from_a_device_without_the_key_fails_closed_on_the_existing_device()
    {
        using var pair = new EnrollmentPair(_clock);
        using var other = new EnrollmentPair(_clock);
        using var existing = pair.OpenExisting();
        using var otherExisting = other.OpenExisting();
        var foreignReady = other.New.ReceiveHello(otherExisting.Hello);

        Assert.Throws<EnrollmentCodeInvalidException>(() => existing.ReceiveReady(foreignReady));
        Assert.Equal(EnrollmentStage.Aborted, existing.Stage);
        Assert.Null(existing.Sas);
    }

    [Fact]
    public void Tampered_device_info_fails_closed_before_the_log_is_called()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        existing.Confirm(true);
        pair.New.Confirm(true);
        var info = pair.New.SendDeviceInfo(pair.Cosigner, "tablet");

        Assert.Throws<EnrollmentCodeInvalidException>(() => existing.ReceiveDeviceInfo(Bytes.Flip(info, info.Length - 20)));
        Assert.Empty(pair.Log.Prepared);
        Assert.Throws<EnrollmentCodeInvalidException>(() => existing.ReceiveDeviceInfo(info));
    }

    [Fact]
    public void Device_info_is_not_processed_before_this_user_confirmed()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        pair.New.Confirm(true);
        var info = pair.New.SendDeviceInfo(pair.Cosigner, "tablet");

        Assert.Throws<InvalidOperationException>(() => existing.ReceiveDeviceInfo(info));
        Assert.Empty(pair.Log.Prepared);
    }

    [Fact]
    public void New_device_refuses_to_cosign_an_entry_that_does_not_add_its_key()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        existing.Confirm(true);
        pair.New.Confirm(true);
        pair.Log.PrepareOverride = [.. FakeEnrollmentLog.EntryLabel, .. new byte[32]];
        var request = existing.ReceiveDeviceInfo(pair.New.SendDeviceInfo(pair.Cosigner, "tablet"));

        Assert.Throws<EnrollmentCodeInvalidException>(() => pair.New.ReceiveAddDeviceRequest(request));
        Assert.Equal(0, pair.Cosigner.Signed);
        Assert.Empty(pair.Log.Appended);
    }

    [Fact]
    public void Cosignature_by_another_key_is_refused_by_the_log_and_nothing_is_appended()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        existing.Confirm(true);
        pair.New.Confirm(true);
        using var thief = new TestCosigner();
        var impostor = new ImpostorCosigner(announced: pair.Cosigner, signer: thief);
        var request = existing.ReceiveDeviceInfo(pair.New.SendDeviceInfo(impostor, "tablet"));
        var signature = pair.New.ReceiveAddDeviceRequest(request);

        Assert.Throws<SignatureInvalidException>(() => existing.ReceiveSignature(signature));
        Assert.Empty(pair.Log.Appended);
        Assert.Equal(EnrollmentStage.Aborted, existing.Stage);
    }

    [Fact]
    public void Oversized_account_state_is_refused_by_the_new_device()
    {
        using var pair = new EnrollmentPair(_clock, EnrollmentOptions.Default with { MaxAccountStateSize = 16 });
        using var existing = pair.UpToSas();
        existing.Confirm(true);
        pair.New.Confirm(true);
        var request = existing.ReceiveDeviceInfo(pair.New.SendDeviceInfo(pair.Cosigner, "tablet"));
        var stateMessage = existing.ReceiveSignature(pair.New.ReceiveAddDeviceRequest(request));

        Assert.Throws<MalformedInputException>(() => pair.New.ReceiveAccountState(stateMessage));
        Assert.Equal(EnrollmentStage.Aborted, pair.New.Stage);
    }

    [Fact]
    public void Out_of_order_message_is_an_invalid_code()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();
        existing.Confirm(true);
        pair.New.Confirm(true);
        var info = pair.New.SendDeviceInfo(pair.Cosigner, "tablet");

        // DeviceInfo presented where the existing device expects the co-signature (wrong type and number).
        existing.ReceiveDeviceInfo(info);
        Assert.Throws<EnrollmentCodeInvalidException>(() => existing.ReceiveSignature(info));
        Assert.Empty(pair.Log.Appended);
    }

    [Fact]
    public void Truncated_or_oversized_hello_is_malformed_and_aborts()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.OpenExisting();

        Assert.Throws<MalformedInputException>(() => pair.New.ReceiveHello(existing.Hello[..^1]));
        Assert.Equal(EnrollmentStage.Aborted, pair.New.Stage);
        Assert.Throws<EnrollmentCodeInvalidException>(() => pair.New.ReceiveHello(existing.Hello));

        using var other = new EnrollmentPair(_clock);
        using var otherExisting = other.OpenExisting();
        Assert.Throws<MalformedInputException>(() => other.New.ReceiveHello([.. otherExisting.Hello, 0]));
    }

    [Fact]
    public void Oversized_channel_message_is_malformed()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.OpenExisting();
        var ready = pair.New.ReceiveHello(existing.Hello);

        Assert.Throws<MalformedInputException>(() => existing.ReceiveReady([.. ready, .. new byte[100]]));
        Assert.Null(existing.Sas);
    }
}
