using System.Globalization;
using Enigm.Trust.Posture;

namespace Enigm.Trust.Policy;

/// <summary>
/// (latest posture, policy, admin actions) → <see cref="ComplianceDecision"/> (docs/policy.md, "Evaluation"). Pure and
/// deterministic for a given <c>now</c>, so the relay and every client reach the same verdict from the same signed
/// inputs: a client can tell a genuine restriction from one the relay invented. Rules, in order:
/// <list type="number">
/// <item>Admin actions for the device, in audit-log order: a revoke is final; a restrict holds until a later lift.</item>
/// <item>No policy: nothing more is checked.</item>
/// <item>No posture statement: warning (the device has not reported yet).</item>
/// <item>Restricting: client or OS below the minimum, protector not allowed, a key overdue or older than the maximum age,
///   no verified OTA check within the maximum, a failed audit-log verification, changed contacts when verification is
///   required.</item>
/// <item>Warning: a key due, unverified contacts when verification is required, the audit log not checked.</item>
/// </list>
/// </summary>
public static class ComplianceEvaluator
{
    public static ComplianceDecision Evaluate(PostureStatement? posture, OrganisationPolicy? policy, IEnumerable<AdminAction> actions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var reasons = new List<ComplianceReason>();
        var revoked = false;
        ComplianceReason? restriction = null;
        foreach (var action in actions)
        {
            switch (action.Kind)
            {
                case AdminActionKind.Revoke:
                    revoked = true;
                    reasons.Add(new("admin-revoked", ComplianceState.RevokedByOrganisation, $"revoked by the organisation: {action.Reason}"));
                    break;
                case AdminActionKind.Restrict:
                    restriction = new("admin-restricted", ComplianceState.Restricted, $"restricted by the organisation: {action.Reason}");
                    break;
                case AdminActionKind.LiftRestriction:
                    restriction = null;
                    break;
            }
        }

        if (revoked) return new(ComplianceState.RevokedByOrganisation, reasons);
        if (restriction is not null) reasons.Add(restriction);
        if (policy is not null)
        {
            if (posture is null) reasons.Add(new("no-posture", ComplianceState.Warning, "no posture statement received from this device yet"));
            else Check(posture, policy, now, reasons);
        }

        var state = reasons.Count == 0 ? ComplianceState.Compliant : reasons.Max(r => r.Severity);
        return new(state, reasons);
    }

    private static void Check(PostureStatement posture, OrganisationPolicy policy, DateTimeOffset now, List<ComplianceReason> reasons)
    {
        if (policy.MinClientVersion is { } minClient && VersionNumber.Compare(posture.ClientVersion, minClient) < 0)
            reasons.Add(new("client-version", ComplianceState.Restricted, $"client {posture.ClientVersion} is below the minimum {minClient}"));
        if (policy.MinOsVersion is { } minOs && VersionNumber.Compare(posture.OsVersion, minOs) < 0)
            reasons.Add(new("os-version", ComplianceState.Restricted, $"OS {posture.OsVersion} is below the minimum {minOs}"));
        if (policy.AllowedProtectors.Count > 0 && !policy.AllowedProtectors.Contains(posture.KeyProtector))
        {
            reasons.Add(new("key-protector", ComplianceState.Restricted,
                $"key protector {Name(posture.KeyProtector)} is not one of {string.Join(", ", policy.AllowedProtectors.Select(Name))}"));
        }

        if (posture.KeysOverdue > 0)
            reasons.Add(new("keys-overdue", ComplianceState.Restricted, $"{Count(posture.KeysOverdue)} key(s) used past their cryptoperiod"));
        if (policy.MaxKeyAge is { } maxAge && posture.OldestKeyAge > maxAge)
            reasons.Add(new("key-age", ComplianceState.Restricted, $"oldest key is {Days(posture.OldestKeyAge)} days old, over the maximum {Days(maxAge)}"));
        if (policy.MaxSinceOtaCheck is { } maxOta)
        {
            if (posture.LastOtaCheck is not { } check)
                reasons.Add(new("ota-check", ComplianceState.Restricted, "the device has never completed a verified update check"));
            else if (now - check > maxOta)
                reasons.Add(new("ota-check", ComplianceState.Restricted, $"last verified update check {Days(now - check)} days ago, over the maximum {Days(maxOta)}"));
        }

        if (posture.AuditLog == AuditLogCheck.Failed)
            reasons.Add(new("audit-log", ComplianceState.Restricted, "the device's key audit log failed verification"));
        else if (posture.AuditLog == AuditLogCheck.NotChecked)
            reasons.Add(new("audit-log-unchecked", ComplianceState.Warning, "the device has not verified its key audit log"));

        if (posture.KeysDue > 0)
            reasons.Add(new("keys-due", ComplianceState.Warning, $"{Count(posture.KeysDue)} key(s) due for rotation"));
        if (policy.RequireContactVerification)
        {
            if (posture.ChangedContacts > 0)
                reasons.Add(new("contacts-changed", ComplianceState.Restricted, $"{Count(posture.ChangedContacts)} contact(s) changed keys and are not re-verified"));
            if (posture.UnverifiedContacts > 0)
                reasons.Add(new("contacts-unverified", ComplianceState.Warning, $"{Count(posture.UnverifiedContacts)} contact(s) not verified"));
        }
    }

    private static string Name(KeyProtectorKind kind) => kind switch
    {
        KeyProtectorKind.Passphrase => "passphrase",
        KeyProtectorKind.Tpm => "tpm",
        KeyProtectorKind.OsKeyStore => "os-keystore",
        _ => "unknown",
    };

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Days(TimeSpan span) => span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture);
}
