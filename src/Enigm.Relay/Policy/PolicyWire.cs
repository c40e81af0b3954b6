using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enigm.Relay.Policy;

/// <summary>
/// The organisation-policy part of the wire contract (issue 14, docs/policy.md "Relay API"): routes, problem codes and
/// JSON shapes. The signed objects themselves (posture, policy, admin actions, the admin audit log) travel as their
/// deterministic CBOR bytes (<c>application/cbor</c>), so no JSON layer re-encodes what is signed.
/// </summary>
public static class PolicyRoutes
{
    /// <summary>PUT (authenticated device): the device's signed posture statement; answers its <see cref="ComplianceResponse"/>.</summary>
    public const string Posture = "/v1/posture";

    /// <summary>GET (authenticated device): the relay's current view of this device's compliance.</summary>
    public const string Compliance = "/v1/compliance";

    /// <summary>GET (authenticated device): the organisation key (encoded public key), 404 <c>no-organisation</c> when none.</summary>
    public const string OrganisationKey = "/v1/org/key";

    /// <summary>GET (authenticated device): the current signed policy, 404 <c>no-policy</c> when none.</summary>
    public const string OrganisationPolicy = "/v1/org/policy";

    /// <summary>GET (authenticated device): the admin audit log (CBOR, <c>enigm/admin-audit/v1</c>).</summary>
    public const string OrganisationAudit = "/v1/org/audit";

    /// <summary>
    /// GET (authenticated device): the admin audit log's head (<see cref="AuditHeadResponse"/>), 404 <c>no-organisation</c>
    /// when none. Every policy change and admin action moves it, so a device re-verifies the policy and the log only when
    /// it moved (the client's send check, docs/policy.md "The device's own check").
    /// </summary>
    public const string OrganisationAuditHead = "/v1/org/audit/head";

    // --- admin listener (admin bearer credential) ---

    /// <summary>PUT: registers the organisation key once (encoded public key).</summary>
    public const string AdminKey = "/admin/v1/org/key";

    /// <summary>PUT: a signed policy with its signed set-policy action (CBOR [policy, action]).</summary>
    public const string AdminPolicy = "/admin/v1/org/policy";

    /// <summary>POST: a signed restrict, lift-restriction or revoke action.</summary>
    public const string AdminActions = "/admin/v1/org/actions";

    /// <summary>GET: managed devices with their compliance state and reasons (<c>?state=NAME</c> filters).</summary>
    public const string AdminDevices = "/admin/v1/org/devices";

    /// <summary>GET: the admin audit log as JSON (for the console); <c>/admin/v1/org/audit/log</c> gives the CBOR clients verify.</summary>
    public const string AdminAudit = "/admin/v1/org/audit";

    /// <summary>GET: the admin audit log as CBOR (<c>enigm/admin-audit/v1</c>).</summary>
    public const string AdminAuditLog = "/admin/v1/org/audit/log";

    /// <summary>GET: the audit log's head, which the next signed action must link to.</summary>
    public const string AdminAuditHead = "/admin/v1/org/audit/head";
}

/// <summary>Stable problem codes of the policy routes (type <c>https://enigm.dev/problems/CODE</c>).</summary>
public static class PolicyProblem
{
    public const string DeviceRestricted = "device-restricted";                          // 403 on submit
    public const string DeviceRevokedByOrganisation = "device-revoked-by-organisation";  // 403 on submit
    public const string PostureForged = "posture-forged";                                // 422
    public const string PostureStale = "posture-stale";                                  // 409
    public const string NoOrganisation = "no-organisation";                              // 404
    public const string NoPolicy = "no-policy";                                          // 404
    public const string OrganisationKeySet = "organisation-key-set";                     // 409
    public const string NotSignedByOrganisation = "not-signed-by-organisation";          // 422
    public const string PolicyRollback = "policy-rollback";                              // 409
    public const string AuditHeadMoved = "audit-head-moved";                             // 409
}

public sealed record ComplianceReasonBody(string Code, string Severity, string Text);

/// <summary>A device's compliance as the relay evaluated it; a client re-evaluates from signed inputs to check it.</summary>
public sealed record ComplianceResponse(string Account, string Device, string State, ComplianceReasonBody[] Reasons, long? PolicyVersion, DateTimeOffset EvaluatedAt);

public sealed record ManagedDevice(string Account, string Device, string State, ComplianceReasonBody[] Reasons, DateTimeOffset? PostureAt,
    string? ClientVersion, string? OsVersion);

public sealed record AuditHeadResponse(long Sequence, string Hash);

public sealed record AuditEntryView(long Sequence, DateTimeOffset Time, string Event, string? Subject, string Reason, string Hash, string Action);

public sealed record AdminActionResponse(long Sequence, string Hash, ComplianceResponse? Device);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 16)]
[JsonSerializable(typeof(ComplianceResponse))]
[JsonSerializable(typeof(ManagedDevice[]))]
[JsonSerializable(typeof(AuditHeadResponse))]
[JsonSerializable(typeof(AuditEntryView[]))]
[JsonSerializable(typeof(AdminActionResponse))]
[JsonSerializable(typeof(ComplianceReasonBody[]))]
public sealed partial class PolicyJson : JsonSerializerContext;
