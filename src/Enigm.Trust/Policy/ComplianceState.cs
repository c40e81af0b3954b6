namespace Enigm.Trust.Policy;

/// <summary>Where a managed device stands against its organisation's policy (issue 14; docs/policy.md "Evaluation").</summary>
public enum ComplianceState
{
    /// <summary>Meets the policy.</summary>
    Compliant = 0,

    /// <summary>Meets the policy's limits but something needs attention soon (a key due, unverified contacts, no posture yet).</summary>
    Warning = 1,

    /// <summary>Out of policy or restricted by an administrator: the device may receive but may not send.</summary>
    Restricted = 2,

    /// <summary>Revoked by the organisation: final.</summary>
    RevokedByOrganisation = 3,
}

/// <summary>One reason behind a decision: a stable code (for tests and scripts), the state it calls for, and a sentence.</summary>
public sealed record ComplianceReason(string Code, ComplianceState Severity, string Text);

/// <summary>The evaluator's verdict with every reason that contributed (empty for a plain compliant device).</summary>
public sealed record ComplianceDecision(ComplianceState State, IReadOnlyList<ComplianceReason> Reasons)
{
    /// <summary>Restricted and revoked devices may not send (they still receive while restricted).</summary>
    public bool MaySend => State is ComplianceState.Compliant or ComplianceState.Warning;

    public static string NameOf(ComplianceState state) => state switch
    {
        ComplianceState.Compliant => "compliant",
        ComplianceState.Warning => "warning",
        ComplianceState.Restricted => "restricted",
        ComplianceState.RevokedByOrganisation => "revoked-by-organisation",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static ComplianceState? Parse(string? name) => name switch
    {
        "compliant" => ComplianceState.Compliant,
        "warning" => ComplianceState.Warning,
        "restricted" => ComplianceState.Restricted,
        "revoked-by-organisation" => ComplianceState.RevokedByOrganisation,
        _ => null,
    };
}
