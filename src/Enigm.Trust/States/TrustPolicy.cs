namespace Enigm.Trust.States;

/// <summary>What sending to a contact in the <see cref="TrustState.Changed"/> state does.</summary>
public enum ChangedContactPolicy
{
    /// <summary>Default. Refused (<c>ContactChangedException</c>) until the user re-verifies; accepting the change is not enough.</summary>
    BlockUntilReverified,

    /// <summary>Refused until the user re-verifies or explicitly accepts the change (the contact then becomes unverified).</summary>
    AllowAfterAcknowledge,

    /// <summary>Allowed, with a warning the caller must show.</summary>
    WarnOnly,
}

/// <summary>Trust policy: the changed-contact rule and the key age after which an own device should rotate.</summary>
public sealed record TrustPolicy(ChangedContactPolicy ChangedContacts, TimeSpan MaxKeyAge)
{
    /// <summary>Block until re-verified; rotate device keys older than 180 days.</summary>
    public static TrustPolicy Default { get; } = new(ChangedContactPolicy.BlockUntilReverified, TimeSpan.FromDays(180));
}
