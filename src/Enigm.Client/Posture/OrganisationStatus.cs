using Enigm.Trust.Policy;
using Enigm.Trust.Posture;

namespace Enigm.Client.Posture;

/// <summary>
/// What this device knows about its organisation after verifying everything the relay served (docs/policy.md, "What a
/// client can detect"). <see cref="ExpectedState"/> is the device's own evaluation of its latest signed posture against
/// the verified policy and the verified admin actions; <see cref="RelayState"/> is what the relay claims. When the relay
/// claims a stricter state than the signed inputs support, <see cref="RelayClaimSupported"/> is false: a restriction
/// the organisation never made.
/// </summary>
public sealed record OrganisationStatus(
    string? Organisation,
    OrganisationPolicy? Policy,
    IReadOnlyList<AdminAction> Actions,
    long AuditEntries,
    PostureStatement? Posture,
    ComplianceDecision ExpectedState,
    string RelayState,
    IReadOnlyList<string> RelayReasons)
{
    public bool RelayClaimSupported => ComplianceDecision.Parse(RelayState) is { } claimed && claimed <= ExpectedState.State;
}

/// <summary>Facts about this device the client cannot read from its own state; anything left null is filled in.</summary>
public sealed record PostureFacts
{
    public string? ClientVersion { get; init; }

    public string? OsVersion { get; init; }

    public string? InstalledRelease { get; init; }

    public DateTimeOffset? LastUpdateCheck { get; init; }
}
