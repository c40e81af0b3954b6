using Enigm.Trust.Posture;

namespace Enigm.Trust.Policy;

/// <summary>
/// An organisation's rules for its managed devices (issue 14, docs/policy.md "Organisation policy"), signed by the
/// organisation key with a version that only ever increases. Every limit is optional: a null limit is not checked.
/// </summary>
/// <param name="Organisation">The signing key's <see cref="OrganisationKey.Id"/>.</param>
/// <param name="Version">Strictly increasing; clients refuse any version below one they accepted (<see cref="PolicyRollbackException"/>).</param>
/// <param name="AllowedProtectors">Key protectors a device may use; empty allows any.</param>
/// <param name="MaxKeyAge">Oldest a device key may be.</param>
/// <param name="MaxSinceOtaCheck">Longest a device may go without a verified OTA check.</param>
/// <param name="RequireContactVerification">A device must verify new and changed contacts (and devices) before relying on them.</param>
public sealed record OrganisationPolicy(
    string Organisation,
    ulong Version,
    DateTimeOffset IssuedAt,
    string? MinClientVersion,
    string? MinOsVersion,
    IReadOnlyList<KeyProtectorKind> AllowedProtectors,
    TimeSpan? MaxKeyAge,
    TimeSpan? MaxSinceOtaCheck,
    bool RequireContactVerification);
