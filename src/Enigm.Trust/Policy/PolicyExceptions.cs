using Enigm.Crypto.Errors;

namespace Enigm.Trust.Policy;

// Typed failures of posture statements, organisation policy and the admin audit log (docs/policy.md, "Errors").
// Each has its own CLI exit code (115-122, 128, src/Enigm.Cli/Output/ExitCodes.cs). Unparsable bytes stay
// MalformedInputException and unknown or refused suites Enigm.Crypto's suite exceptions, so those keep their codes.

/// <summary>A posture statement's signature does not verify under the device key its device log holds (forged or edited).</summary>
public sealed class PostureForgedException(string message)
    : EnigmException("posture-forged", message);

/// <summary>An organisation policy is not signed by the pinned organisation key (or names another organisation).</summary>
public sealed class PolicyNotSignedByOrganisationException(string message)
    : EnigmException("policy-not-signed-by-organisation", message);

/// <summary>An organisation policy is older than one already accepted (a replayed or rolled-back policy).</summary>
public sealed class PolicyRollbackException(ulong seen, ulong offered)
    : EnigmException("policy-rollback", $"Organisation policy version {offered} is older than version {seen}, already accepted; refusing the rollback.")
{
    public ulong Seen { get; } = seen;

    public ulong Offered { get; } = offered;
}

/// <summary>An admin action (restrict, lift, revoke, policy change) is not signed by the organisation key.</summary>
public sealed class AdminActionForgedException(string message)
    : EnigmException("admin-action-forged", message);

/// <summary>The admin audit log is broken: its hash chain, an action's binding to it, or it was cut below a seen head.</summary>
public sealed class AdminAuditLogInvalidException(string message)
    : EnigmException("admin-audit-invalid", message);

/// <summary>The organisation restricted this device: it may receive but not send.</summary>
public sealed class DeviceRestrictedException(string message)
    : EnigmException("device-restricted", message);

/// <summary>The organisation revoked this managed device.</summary>
public sealed class DeviceRevokedByOrganisationException(string message)
    : EnigmException("device-revoked-by-organisation", message);

/// <summary>No organisation key is set up or pinned where one is needed, or a pinned key is unusable.</summary>
public sealed class OrganisationKeyException(string message)
    : EnigmException("organisation-key", message);

/// <summary>
/// A message came from a device the organisation's verified admin audit log says it revoked (a sealed-sender submit the
/// relay could not refuse); the receiving device of the same organisation drops it.
/// </summary>
public sealed class SenderRevokedByOrganisationException(string message)
    : EnigmException("sender-revoked-by-organisation", message);
