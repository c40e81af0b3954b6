using Enigm.Trust.Errors;
using Enigm.Trust.States;
using Enigm.Trust.Tests.Verification;
using Xunit;

namespace Enigm.Trust.Tests.States;

public sealed class TrustBookTests
{
    private readonly ManualClock _clock = new();
    private readonly InMemoryTrustStateStore _store = new();

    private TrustBook Book(ChangedContactPolicy policy = ChangedContactPolicy.BlockUntilReverified) =>
        new(_store, TrustPolicy.Default with { ChangedContacts = policy }, _clock);

    [Fact]
    public void New_contact_starts_unverified_with_a_dated_history()
    {
        var contact = Book().ObserveContact("bob", Fingerprints.Bob);

        Assert.Equal(TrustState.Unverified, contact.State);
        Assert.Equal(ManualClock.Epoch, contact.Since);
        var first = Assert.Single(contact.History);
        Assert.Null(first.From);
        Assert.Equal(TrustState.Unverified, first.To);
        Assert.Same(contact, _store.GetContact("bob"));
    }

    [Fact]
    public void Verifying_marks_the_contact_verified_and_records_how()
    {
        var book = Book();
        book.ObserveContact("bob", Fingerprints.Bob);
        _clock.Advance(TimeSpan.FromHours(1));

        var verified = book.MarkVerified("bob", Fingerprints.Bob, "safety number compared");

        Assert.Equal(TrustState.Verified, verified.State);
        Assert.Equal(Fingerprints.Bob, verified.VerifiedFingerprint);
        Assert.Equal(ManualClock.Epoch.AddHours(1), verified.Since);
        Assert.Equal([TrustState.Unverified, TrustState.Verified], verified.History.Select(h => h.To));
        Assert.Contains("safety number compared", verified.History[^1].Reason, StringComparison.Ordinal);
        Assert.Null(book.CheckSend("bob").Warning);
    }

    [Fact]
    public void Verifying_against_a_fingerprint_that_is_not_current_is_refused()
    {
        var book = Book();
        book.ObserveContact("bob", Fingerprints.Bob);

        Assert.Throws<ContactChangedException>(() => book.MarkVerified("bob", Fingerprints.Mallory, "qr"));
        Assert.Equal(TrustState.Unverified, book.Contact("bob")!.State);
    }

    [Fact]
    public void A_fingerprint_change_turns_a_verified_contact_changed()
    {
        var book = VerifiedBob();
        _clock.Advance(TimeSpan.FromDays(3));

        var changed = book.ObserveContact("bob", Fingerprints.Mallory);

        Assert.Equal(TrustState.Changed, changed.State);
        Assert.Equal(Fingerprints.Mallory, changed.Fingerprint);
        Assert.Equal(Fingerprints.Bob, changed.VerifiedFingerprint);
        Assert.Equal(ManualClock.Epoch.AddDays(3), changed.Since);
        Assert.Equal(TrustState.Verified, changed.History[^1].From);
        Assert.Equal(TrustState.Changed, changed.History[^1].To);
    }

    [Fact]
    public void A_fingerprint_change_of_a_never_verified_contact_keeps_it_unverified_and_is_recorded()
    {
        var book = Book();
        book.ObserveContact("bob", Fingerprints.Bob);

        var after = book.ObserveContact("bob", Fingerprints.Mallory);

        Assert.Equal(TrustState.Unverified, after.State);
        Assert.Equal(2, after.History.Count);
        Assert.Contains(Fingerprints.Mallory.Hex, after.History[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observing_the_same_fingerprint_again_changes_nothing()
    {
        var book = VerifiedBob();
        var before = book.Contact("bob");

        Assert.Same(before, book.ObserveContact("bob", Fingerprints.Bob));
    }

    [Fact]
    public void Default_policy_blocks_sending_to_a_changed_contact_until_reverified()
    {
        var book = VerifiedBob();
        book.ObserveContact("bob", Fingerprints.Mallory);

        var e = Assert.Throws<ContactChangedException>(() => book.CheckSend("bob"));
        Assert.Equal("bob", e.Contact);
        Assert.Throws<ContactChangedException>(() => book.AcknowledgeChange("bob"));
        Assert.Throws<ContactChangedException>(() => book.CheckSend("bob"));

        book.MarkVerified("bob", Fingerprints.Mallory, "safety number compared again");

        Assert.Equal(TrustState.Verified, book.CheckSend("bob").State);
    }

    [Fact]
    public void Allow_after_acknowledge_blocks_until_the_change_is_accepted_then_the_contact_is_unverified()
    {
        var book = VerifiedBob(ChangedContactPolicy.AllowAfterAcknowledge);
        book.ObserveContact("bob", Fingerprints.Mallory);
        Assert.Throws<ContactChangedException>(() => book.CheckSend("bob"));

        var accepted = book.AcknowledgeChange("bob");

        Assert.Equal(TrustState.Unverified, accepted.State);
        Assert.Null(accepted.VerifiedFingerprint);
        Assert.Contains("accepted", accepted.History[^1].Reason, StringComparison.Ordinal);
        var decision = book.CheckSend("bob");
        Assert.Equal(TrustState.Unverified, decision.State);
        Assert.Null(decision.Warning);
    }

    [Fact]
    public void Warn_only_allows_sending_to_a_changed_contact_with_a_warning()
    {
        var book = VerifiedBob(ChangedContactPolicy.WarnOnly);
        book.ObserveContact("bob", Fingerprints.Mallory);

        var decision = book.CheckSend("bob");

        Assert.Equal(TrustState.Changed, decision.State);
        Assert.NotNull(decision.Warning);
        Assert.Equal(TrustState.Changed, book.Contact("bob")!.State);
    }

    [Fact]
    public void Devices_move_through_verified_rotation_and_final_revocation_with_history()
    {
        var book = Book();
        book.ObserveDevice("alice", "laptop", isOwnDevice: true, keyCreatedAt: ManualClock.Epoch);
        _clock.Advance(TimeSpan.FromMinutes(5));
        book.MarkDeviceVerified("alice", "laptop", "enrolled with confirmed SAS");
        _clock.Advance(TimeSpan.FromDays(10));
        var rotated = book.RecordKeyRotation("alice", "laptop", _clock.GetUtcNow());
        Assert.Equal(TrustState.Verified, rotated.State);
        Assert.Equal(ManualClock.Epoch.AddMinutes(5), rotated.Since);
        Assert.Equal(_clock.GetUtcNow(), rotated.KeyCreatedAt);

        _clock.Advance(TimeSpan.FromDays(1));
        var revoked = book.RevokeDevice("alice", "laptop", "stolen");

        Assert.Equal(TrustState.Revoked, revoked.State);
        Assert.Equal(_clock.GetUtcNow(), revoked.Since);
        Assert.Equal([TrustState.Unverified, TrustState.Verified, TrustState.Verified, TrustState.Revoked], revoked.History.Select(h => h.To));
        Assert.Contains("stolen", revoked.History[^1].Reason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => book.MarkDeviceVerified("alice", "laptop", "again"));
        Assert.Throws<InvalidOperationException>(() => book.RecordKeyRotation("alice", "laptop", _clock.GetUtcNow()));
    }

    private TrustBook VerifiedBob(ChangedContactPolicy policy = ChangedContactPolicy.BlockUntilReverified)
    {
        var book = Book(policy);
        book.ObserveContact("bob", Fingerprints.Bob);
        book.MarkVerified("bob", Fingerprints.Bob, "qr");
        return book;
    }
}

public sealed class TrustStateNamesTests
{
    [Fact]
    public void Wire_names_match_the_ota_eligibility_vocabulary() =>
        Assert.Equal(
            ["unverified", "verified", "changed", "revoked"],
            Enum.GetValues<TrustState>().Select(s => s.ToWireName()));
}
