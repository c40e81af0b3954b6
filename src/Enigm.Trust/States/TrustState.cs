using Enigm.Trust.Accounts;

namespace Enigm.Trust.States;

/// <summary>Trust in a contact account or in one device (DESIGN.md "Device-bound trust").</summary>
public enum TrustState
{
    /// <summary>Known but never compared out of band (or a change was accepted without comparing).</summary>
    Unverified,

    /// <summary>The user compared the safety number (or scanned the code) for the current fingerprint.</summary>
    Verified,

    /// <summary>The fingerprint changed since it was verified; sending is governed by <see cref="ChangedContactPolicy"/>.</summary>
    Changed,

    /// <summary>A device removed from its account's log; it gets nothing new.</summary>
    Revoked,
}

/// <summary>One transition in a subject's history: when, from what, to what, and why.</summary>
public sealed record TrustChange(DateTimeOffset At, TrustState? From, TrustState To, string Reason);

/// <summary>
/// What this side knows about a contact account: the fingerprint currently seen, the fingerprint last
/// verified (if any), the state since when, and the full history.
/// </summary>
public sealed record ContactTrust(
    string Contact,
    AccountFingerprint Fingerprint,
    AccountFingerprint? VerifiedFingerprint,
    TrustState State,
    DateTimeOffset Since,
    IReadOnlyList<TrustChange> History);

/// <summary>
/// A device of an account (the user's own or a contact's): its state, the age of its current key and,
/// for revoked devices, whether the user has reviewed the revocation.
/// </summary>
public sealed record DeviceTrust(
    string Account,
    string DeviceId,
    bool IsOwnDevice,
    TrustState State,
    DateTimeOffset Since,
    DateTimeOffset KeyCreatedAt,
    bool RevocationReviewed,
    IReadOnlyList<TrustChange> History);

/// <summary>The lower-case names used on the wire (OTA eligibility's <c>trust_state</c>, CLI JSON).</summary>
public static class TrustStateNames
{
    public static string ToWireName(this TrustState state) => state switch
    {
        TrustState.Unverified => "unverified",
        TrustState.Verified => "verified",
        TrustState.Changed => "changed",
        TrustState.Revoked => "revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}
