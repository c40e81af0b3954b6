using Enigm.Trust.States;
using Enigm.Trust.Tests.Verification;
using Xunit;

namespace Enigm.Trust.Tests.States;

public sealed class TrustReviewTests
{
    private readonly ManualClock _clock = new();
    private readonly InMemoryTrustStateStore _store = new();

    [Fact]
    public void Lists_every_account_and_device_with_state_since_and_key_age()
    {
        var book = new TrustBook(_store, TrustPolicy.Default, _clock);
        book.ObserveContact("bob", Fingerprints.Bob);
        book.ObserveDevice("alice", "phone", isOwnDevice: true, keyCreatedAt: ManualClock.Epoch.AddDays(-30));
        _clock.Advance(TimeSpan.FromDays(2));

        var report = TrustReview.Build(_store, TrustPolicy.Default, _clock);

        var account = Assert.Single(report.Accounts);
        Assert.Equal(("bob", TrustState.Unverified, ManualClock.Epoch, TimeSpan.FromDays(2)), (account.Contact, account.State, account.Since, account.InStateFor));
        Assert.Equal(Fingerprints.Bob.Hex, account.Fingerprint);
        var device = Assert.Single(report.Devices);
        Assert.Equal(("alice", "phone", TrustState.Unverified, TimeSpan.FromDays(32)), (device.Account, device.DeviceId, device.State, device.KeyAge));
        Assert.Equal(_clock.GetUtcNow(), report.At);
    }

    [Fact]
    public void Lists_the_pending_actions_the_policy_implies()
    {
        var policy = TrustPolicy.Default with { MaxKeyAge = TimeSpan.FromDays(90) };
        var book = new TrustBook(_store, policy, _clock);
        book.ObserveContact("bob", Fingerprints.Bob);
        book.MarkVerified("bob", Fingerprints.Bob, "qr");
        book.ObserveContact("bob", Fingerprints.Mallory);
        book.ObserveContact("carol", Fingerprints.Of(0xC0));
        book.ObserveContact("dave", Fingerprints.Of(0xD0));
        book.MarkVerified("dave", Fingerprints.Of(0xD0), "qr");
        book.ObserveDevice("alice", "old-laptop", isOwnDevice: true, keyCreatedAt: ManualClock.Epoch.AddDays(-91));
        book.ObserveDevice("alice", "new-phone", isOwnDevice: true, keyCreatedAt: ManualClock.Epoch.AddDays(-1));
        book.ObserveDevice("bob", "bob-laptop", isOwnDevice: false, keyCreatedAt: ManualClock.Epoch.AddDays(-400));
        book.ObserveDevice("alice", "tablet", isOwnDevice: true, keyCreatedAt: ManualClock.Epoch);
        book.RevokeDevice("alice", "tablet", "lost");

        var actions = TrustReview.Build(_store, policy, _clock).PendingActions
            .Select(a => (a.Kind, a.Account, a.DeviceId))
            .ToHashSet();

        Assert.Equal(
            new HashSet<(PendingActionKind, string, string?)>
            {
                (PendingActionKind.ReverifyChangedContact, "bob", null),
                (PendingActionKind.VerifyContact, "carol", null),
                (PendingActionKind.RotateDeviceKey, "alice", "old-laptop"),
                (PendingActionKind.ReviewRevokedDevice, "alice", "tablet"),
            },
            actions);
    }

    [Fact]
    public void A_reviewed_revocation_and_a_rotated_key_are_no_longer_pending()
    {
        var book = new TrustBook(_store, TrustPolicy.Default, _clock);
        book.ObserveDevice("alice", "tablet", isOwnDevice: true, keyCreatedAt: ManualClock.Epoch);
        book.RevokeDevice("alice", "tablet", "lost");
        book.ObserveDevice("alice", "laptop", isOwnDevice: true, keyCreatedAt: ManualClock.Epoch.AddDays(-365));
        Assert.Equal(2, TrustReview.Build(_store, TrustPolicy.Default, _clock).PendingActions.Count);

        book.MarkRevocationReviewed("alice", "tablet");
        book.RecordKeyRotation("alice", "laptop", _clock.GetUtcNow());

        Assert.Empty(TrustReview.Build(_store, TrustPolicy.Default, _clock).PendingActions);
    }
}
