namespace Enigm.Trust.States;

/// <summary>Something the user should do, found by <see cref="TrustReview"/>.</summary>
public enum PendingActionKind
{
    /// <summary>A verified contact changed fingerprint: compare the new safety number.</summary>
    ReverifyChangedContact,

    /// <summary>A contact was never verified.</summary>
    VerifyContact,

    /// <summary>An own device's key is older than the policy's maximum key age.</summary>
    RotateDeviceKey,

    /// <summary>A device was revoked and the user has not looked at it yet.</summary>
    ReviewRevokedDevice,
}

/// <summary>One pending action on an account or device.</summary>
public sealed record PendingAction(PendingActionKind Kind, string Account, string? DeviceId, string Detail);

/// <summary>One account line of the review.</summary>
public sealed record AccountReviewRow(string Contact, string Fingerprint, TrustState State, DateTimeOffset Since, TimeSpan InStateFor);

/// <summary>One device line of the review.</summary>
public sealed record DeviceReviewRow(string Account, string DeviceId, bool IsOwnDevice, TrustState State, DateTimeOffset Since, TimeSpan KeyAge);

/// <summary>The whole review, as <c>enigm trust status</c> shows it.</summary>
public sealed record TrustReviewReport(
    DateTimeOffset At,
    IReadOnlyList<AccountReviewRow> Accounts,
    IReadOnlyList<DeviceReviewRow> Devices,
    IReadOnlyList<PendingAction> PendingActions);

/// <summary>
/// Lists every account and device with its state, since when and its key age, plus the pending
/// actions the policy implies (re-verify changed contacts, verify new ones, rotate old own keys, review
/// revocations). Read-only.
/// </summary>
public static class TrustReview
{
    public static TrustReviewReport Build(ITrustStateStore store, TrustPolicy policy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var contacts = store.Contacts();
        var devices = store.Devices();
        var actions = new List<PendingAction>();

        foreach (var c in contacts)
        {
            if (c.State == TrustState.Changed)
                actions.Add(new PendingAction(PendingActionKind.ReverifyChangedContact, c.Contact, null, $"fingerprint changed since {c.Since:O}; compare the new safety number"));
            else if (c.State == TrustState.Unverified)
                actions.Add(new PendingAction(PendingActionKind.VerifyContact, c.Contact, null, "never verified; compare the safety number"));
        }

        foreach (var d in devices)
        {
            var age = now - d.KeyCreatedAt;
            if (d.State == TrustState.Revoked)
            {
                if (!d.RevocationReviewed)
                    actions.Add(new PendingAction(PendingActionKind.ReviewRevokedDevice, d.Account, d.DeviceId, $"revoked since {d.Since:O}; review it"));
            }
            else if (d.IsOwnDevice && age > policy.MaxKeyAge)
            {
                actions.Add(new PendingAction(PendingActionKind.RotateDeviceKey, d.Account, d.DeviceId, $"key is {age.Days} days old (policy: {policy.MaxKeyAge.Days})"));
            }
        }

        return new TrustReviewReport(
            now,
            [.. contacts.Select(c => new AccountReviewRow(c.Contact, c.Fingerprint.Hex, c.State, c.Since, now - c.Since))],
            [.. devices.Select(d => new DeviceReviewRow(d.Account, d.DeviceId, d.IsOwnDevice, d.State, d.Since, now - d.KeyCreatedAt))],
            actions);
    }
}
