using System.Text;
using Enigm.Client;
using Enigm.Trust.States;

namespace Enigm.Center.Pages;

/// <summary>
/// The front page: what needs doing (the trust review's pending actions), the account's devices (from the verified
/// device log, refreshed from the relay), the contacts with their trust states and whether sending is allowed, the
/// keys, linking a new device, and the recent trust events.
/// </summary>
public static class OverviewPage
{
    public static async Task<string> RenderAsync(EnigmClient client, TrustPolicy policy, string csrf, CancellationToken ct)
    {
        var review = client.TrustReview();
        var body = new StringBuilder();
        IReadOnlyList<DeviceSummary>? devices = null;
        string? relayProblem = null;
        try
        {
            devices = await client.ListDevicesAsync(ct);
        }
        catch (EnigmException e)
        {
            relayProblem = e.Message;
        }

        body.Append(Pending(review));
        body.Append(await OrganisationSection.RenderAsync(client, ct));
        body.Append(Devices(devices, relayProblem, review, csrf));
        body.Append(Contacts(client.Contacts(), policy));
        body.Append(Keys(review, csrf));
        body.Append(Linking(csrf));
        body.Append(Events(client.RecentTrustEvents(20)));
        return Layout.Page("Trust overview", body.ToString(), csrf, $"Account {Html.Short(client.Account)} · this device: {client.DeviceName} ({Html.Short(client.DeviceId)})");
    }

    private static string Pending(TrustReviewReport review)
    {
        var s = new StringBuilder("<section aria-labelledby=\"pending\"><h2 id=\"pending\">What needs doing</h2>");
        if (review.PendingActions.Count == 0) return s.Append("<p>Nothing: every contact is verified and every key is within its cryptoperiod.</p></section>").ToString();
        s.Append("<ul class=\"pending\">");
        foreach (var action in review.PendingActions)
        {
            var link = action.Kind switch
            {
                PendingActionKind.VerifyContact or PendingActionKind.ReverifyChangedContact =>
                    $" <a href=\"/contacts/{Html.Segment(action.Account)}\">Compare the safety number</a>",
                PendingActionKind.RotateDeviceKey => " <a href=\"#keys\">Keys</a>",
                _ => " <a href=\"#devices\">Devices</a>",
            };
            s.Append($"<li class=\"pending-{action.Kind}\"><strong>{Html.E(Label(action.Kind))}</strong>: {Html.E(action.Account)} — {Html.E(action.Detail)}{link}</li>");
        }

        return s.Append("</ul></section>").ToString();
    }

    private static string Label(PendingActionKind kind) => kind switch
    {
        PendingActionKind.ReverifyChangedContact => "Re-verify changed contact",
        PendingActionKind.VerifyContact => "Verify contact",
        PendingActionKind.RotateDeviceKey => "Rotate key",
        _ => "Review revoked device",
    };

    private static string Devices(IReadOnlyList<DeviceSummary>? devices, string? problem, TrustReviewReport review, string csrf)
    {
        var s = new StringBuilder("<section aria-labelledby=\"devices\"><h2 id=\"devices\">Your devices</h2>");
        if (devices is null)
            return s.Append($"<p class=\"problem\" role=\"alert\">The relay did not answer, so the device list is not shown: {Html.E(problem)}</p></section>").ToString();
        s.Append("<table><caption>Devices of this account, from its verified device log</caption><thead><tr>")
            .Append("<th scope=\"col\">Name</th><th scope=\"col\">Device id</th><th scope=\"col\">State</th><th scope=\"col\">Key</th>")
            .Append("<th scope=\"col\">Added</th><th scope=\"col\">Key age</th><th scope=\"col\">Last seen</th><th scope=\"col\">Action</th></tr></thead><tbody>");
        foreach (var d in devices)
        {
            var row = review.Devices.FirstOrDefault(r => r.IsOwnDevice && r.DeviceId == d.DeviceId);
            var state = d.Revoked ? $"<span class=\"badge state-revoked\">revoked</span> {Html.E(d.RevokedAt is { } at ? Html.Date(at) : "")}" : "<span class=\"badge state-verified\">trusted</span>";
            var action = d.IsThisDevice || d.Revoked ? "" : Html.ActionForm("revoke-device", csrf, $"Revoke {d.Name}", [("device", d.DeviceId), ("name", d.Name)], buttonClass: "danger");
            s.Append($"<tr id=\"device-{Html.E(d.DeviceId)}\" data-device=\"{Html.E(d.DeviceId)}\"><th scope=\"row\">{Html.E(d.Name)}{(d.IsThisDevice ? " (this device)" : "")}</th>")
                .Append($"<td><code>{Html.E(Html.Short(d.DeviceId))}</code></td><td class=\"device-state\">{state}</td><td><code>{Html.E(d.KeyFingerprint)}</code></td>")
                .Append($"<td>{Html.E(Html.Date(d.AddedAt))}</td><td>{Html.E(row is null ? "—" : Html.Age(row.KeyAge))}</td>")
                .Append($"<td>{(d.IsThisDevice ? "now" : "not reported by the relay")}</td><td>{action}</td></tr>");
        }

        return s.Append("</tbody></table></section>").ToString();
    }

    private static string Contacts(IReadOnlyList<ContactSummary> contacts, TrustPolicy policy)
    {
        var s = new StringBuilder("<section aria-labelledby=\"contacts\"><h2 id=\"contacts\">Contacts</h2>");
        if (contacts.Count == 0) return s.Append("<p>No contacts yet (<code>enigm contact add NAME ACCOUNT</code>).</p></section>").ToString();
        s.Append("<table><caption>Contacts and their trust states</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Account</th>")
            .Append("<th scope=\"col\">Trust</th><th scope=\"col\">Sending</th><th scope=\"col\">Devices</th><th scope=\"col\">Details</th></tr></thead><tbody>");
        foreach (var c in contacts)
        {
            s.Append($"<tr class=\"contact state-row-{c.State.ToWireName()}\" data-contact=\"{Html.E(c.Name)}\"><th scope=\"row\">{Html.E(c.Name)}</th>")
                .Append($"<td><code>{Html.E(Html.Short(c.Account))}</code></td><td class=\"contact-state\">{TrustStateBadge.For(c.State)}</td>")
                .Append($"<td class=\"contact-sending\">{TrustStateBadge.Sending(c.State, policy)}</td><td>{c.Devices.Count}</td>")
                .Append($"<td><a href=\"/contacts/{Html.Segment(c.Name)}\">Safety number and history<span class=\"visually-hidden\"> of {Html.E(c.Name)}</span></a></td></tr>");
        }

        return s.Append("</tbody></table></section>").ToString();
    }

    private static string Keys(TrustReviewReport review, string csrf)
    {
        var due = review.PendingActions.Count(a => a.Kind == PendingActionKind.RotateDeviceKey);
        return "<section aria-labelledby=\"keys\"><h2 id=\"keys\">Keys</h2>" +
               $"<p>{(due == 0 ? "No key of this account's devices is past the policy's maximum age." : $"{due} device key(s) past the policy's maximum age.")}</p>" +
               "<p>The signed prekey rotates on its period in the sync loop; rotate it now if you suspect it leaked.</p>" +
               Html.ActionForm("rotate-prekeys", csrf, "Rotate the signed prekey", []) +
               "<p>Updates: <code>enigm update check</code> lists a release this device is eligible for.</p></section>";
    }

    private static string Linking(string csrf) =>
        "<section aria-labelledby=\"link\"><h2 id=\"link\">Approve a new device</h2>" +
        "<p>On the new device run <code>enigm device link</code>; enter the code it shows.</p>" +
        Html.ActionForm("approve-link", csrf, "Continue", [],
            "<label for=\"link-code\">Link code shown by the new device</label> <input id=\"link-code\" name=\"code\" required maxlength=\"512\" autocomplete=\"off\"> ") +
        "</section>";

    private static string Events(IReadOnlyList<EnigmClient.TrustEvent> events)
    {
        var s = new StringBuilder("<section aria-labelledby=\"events\"><h2 id=\"events\">Recent trust events</h2>");
        if (events.Count == 0) return s.Append("<p>None yet.</p></section>").ToString();
        s.Append("<ol class=\"events\">");
        foreach (var e in events)
        {
            var subject = e.IsDevice ? $"device {Html.Short(e.Subject)}" : $"contact {e.Subject}";
            s.Append($"<li><time>{Html.E(Html.Date(e.Change.At))}</time> {Html.E(subject)}: {TrustStateBadge.For(e.Change.To)} — {Html.E(e.Change.Reason)}</li>");
        }

        return s.Append("</ol></section>").ToString();
    }
}
