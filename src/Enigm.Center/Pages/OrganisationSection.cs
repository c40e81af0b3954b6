using System.Text;
using Enigm.Client;
using Enigm.Client.Posture;
using Enigm.Trust.Policy;

namespace Enigm.Center.Pages;

/// <summary>
/// The overview's organisation section (issue 14, docs/policy.md): for a managed device, the state the relay enforces
/// with its reasons (restricted: may receive, may not send), the organisation's verified policy, and whether the signed
/// policy and admin audit log support the relay's claim. Everything comes from
/// <see cref="EnigmClient.CheckOrganisationAsync"/>, which verifies the policy and the log (a forged or rolled-back one,
/// like an unreachable relay, is shown as its typed error, never as a state).
/// </summary>
public static class OrganisationSection
{
    public static async Task<string> RenderAsync(EnigmClient client, CancellationToken ct)
    {
        var s = new StringBuilder("<section aria-labelledby=\"organisation\"><h2 id=\"organisation\">Organisation</h2>");
        OrganisationStatus status;
        try
        {
            status = await client.CheckOrganisationAsync(ct);
        }
        catch (EnigmException e)
        {
            return s.Append($"<p class=\"problem\" role=\"alert\">The organisation's state could not be checked ({Html.E(e.Code)}): {Html.E(e.Message)}</p></section>").ToString();
        }

        if (status.Organisation is null)
            return s.Append("<p id=\"compliance-unmanaged\">This device is not managed by an organisation.</p></section>").ToString();
        var reasons = status.RelayReasons.Count == 0
            ? "<li>none</li>"
            : string.Join("", status.RelayReasons.Select(r => $"<li>{Html.E(r)}</li>"));
        s.Append($"<p>Managed by organisation <code>{Html.E(status.Organisation)}</code>, policy version ")
            .Append($"<span id=\"compliance-policy-version\">{(status.Policy is { } p ? p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}</span>")
            .Append($" (minimum client {Html.E(status.Policy?.MinClientVersion ?? "any")}).</p>")
            .Append("<dl class=\"stats\">")
            .Append($"<dt>This device</dt><dd>{Badge(status.RelayState)} <span>{Html.E(Meaning(status.RelayState))}</span></dd>")
            .Append($"<dt>Client version reported</dt><dd id=\"compliance-client\">{Html.E(status.Posture?.ClientVersion ?? "no posture published yet")}</dd>")
            .Append($"<dt>Reasons</dt><dd><ul id=\"compliance-reasons\">{reasons}</ul></dd></dl>");
        s.Append(status.RelayClaimSupported
            ? "<p id=\"compliance-claim\">The organisation's signed policy and admin audit log support this state.</p>"
            : "<p id=\"compliance-claim\" class=\"problem\" role=\"alert\">The relay claims a stricter state than the organisation's signed policy and admin log support.</p>");
        return s.Append("</section>").ToString();
    }

    /// <summary>The state spelled out (colour is never the only signal), reusing the trust badges' colours.</summary>
    private static string Badge(string state)
    {
        var colour = ComplianceDecision.Parse(state) switch
        {
            ComplianceState.Compliant => "state-verified",
            ComplianceState.Warning => "state-unverified",
            ComplianceState.Restricted => "state-changed",
            _ => "state-revoked",
        };
        return $"<span id=\"compliance-state\" class=\"badge {colour}\" data-compliance=\"{Html.E(state)}\">{Html.E(state)}</span>";
    }

    private static string Meaning(string state) => ComplianceDecision.Parse(state) switch
    {
        ComplianceState.Compliant => "meets the organisation's policy",
        ComplianceState.Warning => "meets the policy; something needs attention soon",
        ComplianceState.Restricted => "may receive, may not send until the reasons below are fixed",
        ComplianceState.RevokedByOrganisation => "revoked by the organisation",
        _ => "unknown state",
    };
}
