using System.Text;
using Enigm.Client;
using Enigm.Trust.States;

namespace Enigm.Center.Pages;

/// <summary>
/// One contact: its trust state and whether sending is allowed, the safety number in 12 groups of 5 digits and this
/// side's QR code (rendered server-side as PNG) to compare out of band, the two ways to mark it verified (type the
/// number the other side shows, or paste the text of the code scanned from its screen), and its trust history.
/// </summary>
public static class ContactPage
{
    public static string Render(EnigmClient client, string name, TrustPolicy policy, string csrf)
    {
        var contact = client.Contact(name);
        var number = client.SafetyNumber(contact.Name);
        var history = client.ContactHistory(contact.Name);
        var s = new StringBuilder();
        s.Append($"<p>Account <code>{Html.E(contact.Account)}</code></p>")
            .Append($"<p>Trust: <span id=\"contact-state\">{TrustStateBadge.For(contact.State)}</span> · Sending: <span id=\"contact-sending\">{TrustStateBadge.Sending(contact.State, policy)}</span></p>");
        if (contact.State == TrustState.Changed)
            s.Append("<p class=\"problem\" role=\"alert\">This contact's account changed since you verified it. Compare the new safety number before you send anything.</p>");

        s.Append("<section aria-labelledby=\"number\"><h2 id=\"number\">Safety number</h2>")
            .Append("<p>Compare these digits with the ones on the other person's screen, in person or over a channel you trust.</p>")
            .Append("<p class=\"safety-number\" id=\"safety-number\">");
        foreach (var group in number.Groups) s.Append($"<span>{Html.E(group)}</span> ");
        s.Append("</p>")
            .Append($"<img class=\"qr\" src=\"/contacts/{Html.Segment(contact.Name)}/qr.png\" width=\"264\" height=\"264\" ")
            .Append($"alt=\"QR code of this side's safety number for {Html.E(contact.Name)}, for the other side to scan\"></section>");

        s.Append("<section aria-labelledby=\"verify\"><h2 id=\"verify\">Mark verified</h2>")
            .Append(Html.ActionForm("verify-contact", csrf, "Compare and mark verified", [("contact", contact.Name)],
                "<label for=\"number-input\">The safety number the other side shows (60 digits, spaces allowed)</label> " +
                "<input id=\"number-input\" name=\"number\" required maxlength=\"120\" inputmode=\"numeric\" autocomplete=\"off\" data-digits=\"60\"> "))
            .Append(Html.ActionForm("verify-contact-qr", csrf, "Verify with the scanned code", [("contact", contact.Name)],
                "<label for=\"qr-input\">Or the text of the code you scanned from their screen (enigm-sn1:…)</label> " +
                "<input id=\"qr-input\" name=\"code\" required maxlength=\"512\" autocomplete=\"off\"> "))
            .Append("</section>");

        s.Append("<section aria-labelledby=\"history\"><h2 id=\"history\">History</h2><ol class=\"events\">");
        foreach (var change in history)
        {
            var from = change.From is { } f ? f.ToWireName() + " → " : "";
            s.Append($"<li><time>{Html.E(Html.Date(change.At))}</time> {Html.E(from)}{TrustStateBadge.For(change.To)} — {Html.E(change.Reason)}</li>");
        }

        s.Append("</ol></section><p><a href=\"/\">Back to the overview</a></p>");
        return Layout.Page($"Contact {contact.Name}", s.ToString(), csrf, $"Account {Html.Short(client.Account)} · this device: {client.DeviceName}");
    }
}
