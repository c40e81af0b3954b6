namespace Enigm.Trust.Policy;

/// <summary>
/// What an organisation administrator can do. Every kind only keeps or lowers trust (issue 14, "Administration can
/// only lower trust"): there is no kind that adds a device, reads content or changes a contact's keys.
/// <see cref="LiftRestriction"/> only undoes an earlier <see cref="Restrict"/>; the device still has to meet the policy.
/// </summary>
public enum AdminActionKind
{
    SetPolicy = 1,
    Restrict = 2,
    LiftRestriction = 3,
    Revoke = 4,
}

/// <summary>
/// One admin action, signed by the organisation key and appended to the admin audit log (docs/policy.md, "Admin audit
/// log"). <see cref="PreviousAuditHash"/> is the chain hash of the log entry before this one (32 zero bytes for the
/// first): the organisation's signature commits to the whole history before it, so the relay cannot reorder, drop or
/// replay actions without a client noticing.
/// </summary>
/// <param name="Account">The managed device's account (empty for <see cref="AdminActionKind.SetPolicy"/>).</param>
/// <param name="Device">The managed device (empty for <see cref="AdminActionKind.SetPolicy"/>).</param>
/// <param name="PolicyVersion">For <see cref="AdminActionKind.SetPolicy"/>: the version set; else 0.</param>
/// <param name="PolicyHash">For <see cref="AdminActionKind.SetPolicy"/>: SHA-256 of the signed policy; else empty.</param>
public sealed record AdminAction(
    string Organisation,
    AdminActionKind Kind,
    string Account,
    string Device,
    string Reason,
    DateTimeOffset IssuedAt,
    ulong PolicyVersion,
    byte[] PolicyHash,
    byte[] PreviousAuditHash)
{
    /// <summary>The audit-log event name for this kind (printable ASCII, as Enigm.Keys' audit log requires).</summary>
    public string EventName => EventNameOf(Kind);

    /// <summary>The audit-log key id: the target device as <c>account/device</c>, or <c>policy/VERSION</c>.</summary>
    public string Subject => Kind == AdminActionKind.SetPolicy
        ? "policy/" + PolicyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Account + "/" + Device;

    public static string EventNameOf(AdminActionKind kind) => kind switch
    {
        AdminActionKind.SetPolicy => "org-policy-set",
        AdminActionKind.Restrict => "org-device-restrict",
        AdminActionKind.LiftRestriction => "org-device-lift-restriction",
        AdminActionKind.Revoke => "org-device-revoke",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
