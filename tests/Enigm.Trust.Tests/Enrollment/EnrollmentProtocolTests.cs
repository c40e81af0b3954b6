using Enigm.Trust.Enrollment;
using Enigm.Trust.Tests.States;
using Enigm.Trust.Tests.Verification;
using Xunit;

namespace Enigm.Trust.Tests.Enrollment;

public sealed class EnrollmentProtocolTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void Enrolls_a_device_end_to_end_when_both_users_confirm_the_same_sas()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.UpToSas();

        Assert.NotNull(existing.Sas);
        Assert.True(existing.Sas.SameAs(pair.New.Sas!));
        Assert.Equal(6, existing.Sas.Digits.Length);
        Assert.Equal(ShortAuthenticationString.EmojiCount, existing.Sas.Emoji.Count);
        Assert.Equal(Fingerprints.Alice, pair.New.ExistingAccount);

        existing.Confirm(true);
        pair.New.Confirm(true);
        var request = existing.ReceiveDeviceInfo(pair.New.SendDeviceInfo(pair.Cosigner, "Alice's tablet"));
        Assert.Empty(pair.Log.Appended);
        var stateMessage = existing.ReceiveSignature(pair.New.ReceiveAddDeviceRequest(request));
        var state = pair.New.ReceiveAccountState(stateMessage);

        var (key, name) = Assert.Single(pair.Log.Prepared);
        Assert.Equal(pair.Cosigner.DeviceKey.PublicKey, key.PublicKey);
        Assert.Equal("Alice's tablet", name);
        Assert.Single(pair.Log.Appended);
        Assert.Equal([.. "account-state:"u8, .. pair.Log.Appended[0]], state);
        Assert.Equal(EnrollmentStage.Completed, existing.Stage);
        Assert.Equal(EnrollmentStage.Completed, pair.New.Stage);
        Assert.Equal("Alice's tablet", existing.NewDeviceName);
    }

    [Fact]
    public void Binary_qr_form_of_the_link_code_works_like_the_text()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = ExistingDeviceEnrollment.Open(pair.New.Code.ToBytes(), Fingerprints.Alice, pair.Log, pair.Options, _clock);

        var ready = pair.New.ReceiveHello(existing.Hello);
        pair.New.ReceiveReveal(existing.ReceiveReady(ready));

        Assert.True(existing.Sas!.SameAs(pair.New.Sas!));
    }

    [Fact]
    public void Each_enrollment_gets_a_different_sas()
    {
        using var first = new EnrollmentPair(_clock);
        using var second = new EnrollmentPair(_clock);
        using var a = first.UpToSas();
        using var b = second.UpToSas();

        Assert.False(a.Sas!.SameAs(b.Sas!));
    }

    [Fact]
    public void Sas_is_not_available_before_the_channel_is_authenticated()
    {
        using var pair = new EnrollmentPair(_clock);
        using var existing = pair.OpenExisting();

        Assert.Null(existing.Sas);
        Assert.Throws<InvalidOperationException>(() => existing.Confirm(true));
        pair.New.ReceiveHello(existing.Hello);
        Assert.Null(pair.New.Sas);
    }
}
