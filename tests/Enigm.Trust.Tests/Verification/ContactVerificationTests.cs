using Enigm.Trust.States;
using Enigm.Trust.Tests.States;
using Enigm.Trust.Verification;
using Xunit;

namespace Enigm.Trust.Tests.Verification;

public sealed class ContactVerificationTests
{
    private readonly TrustBook _book = new(new InMemoryTrustStateStore(), TrustPolicy.Default, new ManualClock());

    [Fact]
    public void Scanning_the_matching_code_marks_the_contact_verified()
    {
        _book.ObserveContact("bob", Fingerprints.Bob);

        var result = _book.VerifyScannedCode("bob", new SafetyNumberQr(Fingerprints.Bob, Fingerprints.Alice), Fingerprints.Alice);

        Assert.Equal(QrComparison.Match, result);
        Assert.Equal(TrustState.Verified, _book.Contact("bob")!.State);
    }

    [Fact]
    public void Scanning_a_mismatching_code_leaves_the_contact_unverified()
    {
        _book.ObserveContact("bob", Fingerprints.Mallory);

        var result = _book.VerifyScannedCode("bob", new SafetyNumberQr(Fingerprints.Bob, Fingerprints.Alice), Fingerprints.Alice);

        Assert.Equal(QrComparison.PeerFingerprintDiffers, result);
        Assert.Equal(TrustState.Unverified, _book.Contact("bob")!.State);
    }

    [Fact]
    public void A_compared_number_verifies_only_if_it_is_the_number_for_the_held_fingerprint()
    {
        _book.ObserveContact("bob", Fingerprints.Bob);

        Assert.False(_book.ConfirmComparedNumber("bob", SafetyNumbers.For(Fingerprints.Alice, Fingerprints.Mallory), Fingerprints.Alice));
        Assert.Equal(TrustState.Unverified, _book.Contact("bob")!.State);
        Assert.True(_book.ConfirmComparedNumber("bob", SafetyNumbers.For(Fingerprints.Bob, Fingerprints.Alice), Fingerprints.Alice));
        Assert.Equal(TrustState.Verified, _book.Contact("bob")!.State);
    }
}
