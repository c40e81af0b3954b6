using System.Text;
using Enigm.Server.Hosting;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Server.Console;

/// <summary>
/// The managed-device part of the console (docs/policy.md): the current organisation-signed policy with its editor, every
/// device by compliance state with its reasons (evaluated as the relay does on a submit, <see cref="ComplianceService"/>)
/// and its restrict / lift / revoke buttons, the upload of signed documents, and the admin audit log. The relay holds no
/// organisation private key — a relay that could sign policies or actions could invent them — so the editor and buttons
/// only prepare unsigned documents (<see cref="ConsoleDrafts"/>) for the organisation key to sign offline.
/// </summary>
public static class ConsoleOrganisation
{
    public const int MaxAuditEntries = 50;

    public static async Task<string> RenderAsync(RelayState state, string csrf, CancellationToken ct)
    {
        var store = state.Store.Policy;
        var organisation = await store.GetOrganisationKeyAsync(ct);
        var s = new StringBuilder("<section aria-labelledby=\"policy\"><h2 id=\"policy\">Organisation policy</h2>");
        if (organisation is null)
        {
            return s.Append("<p>No organisation key is registered on this relay: no device is managed. " +
                            "Register one with <code>enigm org init</code>.</p></section>").ToString();
        }

        s.Append($"<p>Organisation <code id=\"organisation\">{ConsolePages.E(OrganisationKey.IdOf(organisation))}</code>.</p>");
        var stored = await store.GetPolicyAsync(ct);
        var current = stored is null ? null : PolicyEncoding.ReadUnverified(stored.Signed);
        if (current is null) s.Append("<p id=\"policy-version\">No policy set yet.</p>");
        else s.Append(Policy(current));
        s.Append("<p>The relay holds no organisation key: a change is signed where that key lives, offline (the editor and the device ")
            .Append("buttons below prepare the unsigned document; <code>enigm org sign</code> signs it; upload the result here) or online with ")
            .Append("<code>enigm org policy set</code> and <code>enigm org restrict|lift|revoke</code>.</p></section>");
        s.Append(ConsolePolicyEditor.Render(current, csrf));
        s.Append(await DevicesAsync(state, csrf, ct));
        s.Append(ConsoleUpload.Form(csrf));
        s.Append(await AuditAsync(state, ct));
        return s.ToString();
    }

    private static string Policy(OrganisationPolicy p) =>
        new StringBuilder($"<dl class=\"stats\"><dt>Version</dt><dd id=\"policy-version\">{p.Version}</dd>")
            .Append($"<dt>Signed at</dt><dd>{ConsolePages.Date(p.IssuedAt)}</dd>")
            .Append(PolicyRules(p, "policy"))
            .Append("</dl>")
            .ToString();

    /// <summary>
    /// A policy's rules as <c>&lt;dt&gt;/&lt;dd&gt;</c> rows: the signed policy's listing and an offline-signing draft
    /// show them alike. The minimum client version's cell has the id <c>{idPrefix}-min-client</c>.
    /// </summary>
    public static string PolicyRules(OrganisationPolicy p, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new StringBuilder($"<dt>Minimum client version</dt><dd id=\"{idPrefix}-min-client\">{ConsolePages.E(p.MinClientVersion ?? "any")}</dd>")
            .Append($"<dt>Minimum OS version</dt><dd>{ConsolePages.E(p.MinOsVersion ?? "any")}</dd>")
            .Append($"<dt>Key protectors</dt><dd>{ConsolePages.E(p.AllowedProtectors.Count == 0 ? "any" : string.Join(", ", p.AllowedProtectors))}</dd>")
            .Append($"<dt>Maximum key age</dt><dd>{(p.MaxKeyAge is { } age ? $"{age.TotalDays:0} days" : "none")}</dd>")
            .Append($"<dt>Maximum time since an update check</dt><dd>{(p.MaxSinceOtaCheck is { } ota ? $"{ota.TotalDays:0} days" : "none")}</dd>")
            .Append($"<dt>Contacts must be verified</dt><dd>{(p.RequireContactVerification ? "yes" : "no")}</dd>")
            .ToString();
    }

    private static async Task<string> DevicesAsync(RelayState state, string csrf, CancellationToken ct)
    {
        var rows = new List<(string Account, string Device, ComplianceDecision Decision, string? Client)>();
        foreach (var account in await state.Store.ListAccountsAsync(ConsoleOverview.MaxAccounts, null, ct))
        {
            if (account.Disabled) continue;
            foreach (var device in account.Devices.Where(d => !d.Revoked))
            {
                var (decision, posture, _) = await ComplianceService.EvaluateAsync(state, account.Account, device.Device, ct);
                rows.Add((account.Account, device.Device, decision, posture?.ClientVersion));
            }
        }

        var s = new StringBuilder("<section aria-labelledby=\"compliance\"><h2 id=\"compliance\">Devices by compliance state</h2>")
            .Append("<table><caption>Managed devices, most restricted first, with the reasons</caption><thead><tr><th scope=\"col\">State</th>")
            .Append("<th scope=\"col\">Account</th><th scope=\"col\">Device</th><th scope=\"col\">Client</th><th scope=\"col\">Reasons</th><th scope=\"col\">Organisation action (signed offline)</th></tr></thead><tbody>");
        foreach (var (account, device, decision, client) in rows.OrderByDescending(r => r.Decision.State).ThenBy(r => r.Account, StringComparer.Ordinal))
        {
            var name = ComplianceDecision.NameOf(decision.State);
            var reasons = decision.Reasons.Count == 0 ? "—" : string.Join("; ", decision.Reasons.Select(r => ConsolePages.E(r.Text)));
            s.Append($"<tr data-compliance-device=\"{ConsolePages.E(device)}\"><td class=\"compliance-state\"><span class=\"badge state-{ConsolePages.E(name)}\">{ConsolePages.E(name)}</span></td>")
                .Append($"<td><code>{ConsolePages.E(ConsolePages.Short(account))}</code></td><td><code>{ConsolePages.E(ConsolePages.Short(device))}</code></td>")
                .Append($"<td>{ConsolePages.E(client ?? "not reported")}</td><td class=\"compliance-reasons\">{reasons}</td><td>{Buttons(account, device, decision.State, csrf)}</td></tr>");
        }

        return s.Append("</tbody></table></section>").ToString();
    }

    /// <summary>The actions that can only lower trust (or undo a restriction), each answering an unsigned action to sign offline.</summary>
    private static string Buttons(string account, string device, ComplianceState state, string csrf)
    {
        if (state == ComplianceState.RevokedByOrganisation) return "—";
        (string, string)[] fields = [("account", account), ("device", device)];
        var s = new StringBuilder();
        foreach (var (kind, label, show) in new[] { ("restrict", "Restrict…", state != ComplianceState.Restricted), ("lift", "Lift…", state == ComplianceState.Restricted), ("revoke", "Revoke…", true) })
        {
            if (show) s.Append(ConsolePages.PostForm(ConsoleRoutes.ActionDraft, csrf, label, [("kind", kind), .. fields], buttonClass: kind == "lift" ? "" : "danger"));
        }

        return s.ToString();
    }

    private static async Task<string> AuditAsync(RelayState state, CancellationToken ct)
    {
        var records = AdminAuditEncoding.Decode(await PostureApi.AuditLogAsync(state, ct));
        var s = new StringBuilder("<section aria-labelledby=\"audit\"><h2 id=\"audit\">Admin audit log</h2>")
            .Append($"<p>{records.Count} entries, hash-chained (Enigm.Keys audit format); clients fetch and verify it.</p><ol class=\"audit\">");
        foreach (var r in records.TakeLast(MaxAuditEntries).Reverse())
        {
            var action = AdminActionEncoding.ReadUnverified(r.Action);
            s.Append($"<li value=\"{r.Sequence}\"><time>{ConsolePages.Date(r.Time)}</time> <strong>{ConsolePages.E(r.Event)}</strong> ")
                .Append($"{ConsolePages.E(action.Subject)} — {ConsolePages.E(action.Reason)} <code>{ConsolePages.E(Convert.ToHexStringLower(r.Hash)[..16])}…</code></li>");
        }

        return s.Append("</ol></section>").ToString();
    }
}
