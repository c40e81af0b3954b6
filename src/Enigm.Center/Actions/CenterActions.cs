using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Client;
using Enigm.Client.Linking;
using Microsoft.AspNetCore.Http;

namespace Enigm.Center.Actions;

/// <summary>
/// The page's actions, each the SDK call its CLI command makes: <c>contact verify</c> (safety number or scanned code),
/// <c>device revoke</c>, <c>device approve</c> (link code, then the SAS compared), and the signed-prekey rotation the
/// sync loop also does when due. Pending link approvals are kept in memory under a random id until confirmed.
/// </summary>
public sealed class CenterActions
{
    public const int MaxFieldLength = 512;

    private CenterActions(TimeSpan linkTimeout) => _linkTimeout = linkTimeout;

    private readonly TimeSpan _linkTimeout;

    private readonly ConcurrentDictionary<string, LinkApproval> _approvals = new(StringComparer.Ordinal);

    private readonly Dictionary<string, CenterAction> _all = new(StringComparer.Ordinal);

    public static CenterActions Create(TimeSpan linkTimeout)
    {
        var actions = new CenterActions(linkTimeout);
        foreach (var action in new[] { VerifyContact(), VerifyContactQr(), RevokeDevice(), RotatePrekeys(), actions.ApproveLink(), actions.CompleteLink() })
            actions._all[action.Name] = action;
        return actions;
    }

    public CenterAction? Find(string name) => _all.GetValueOrDefault(name);

    /// <summary>Drops pending link approvals (the page is closing).</summary>
    public void DisposePending()
    {
        foreach (var id in _approvals.Keys)
            if (_approvals.TryRemove(id, out var approval)) approval.Dispose();
    }

    private static string Field(IFormCollection form, string name) => form[name].ToString().Trim();

    private static CenterAction VerifyContact() => new(
        "verify-contact", "Mark the contact verified", ["contact", "number"],
        (_, f) => $"Mark '{Field(f, "contact")}' verified because the other side shows the safety number {Field(f, "number")}. " +
                  "If it differs from the number this device computes, nothing changes.",
        (client, f, _, _) =>
        {
            var contact = client.VerifyContact(Field(f, "contact"), Field(f, "number"));
            return Task.FromResult(new ActionOutcome($"'{contact.Name}' is verified: the safety numbers match."));
        });

    private static CenterAction VerifyContactQr() => new(
        "verify-contact-qr", "Verify the contact by the scanned code", ["contact", "code"],
        (_, f) => $"Mark '{Field(f, "contact")}' verified from the code scanned on the other side's screen.",
        (client, f, _, _) =>
        {
            var contact = client.VerifyContactByQr(Field(f, "contact"), Field(f, "code"));
            return Task.FromResult(new ActionOutcome($"'{contact.Name}' is verified: the scanned code matches."));
        });

    private static CenterAction RevokeDevice() => new(
        "revoke-device", "Revoke the device", ["device", "name"],
        (_, f) => $"Revoke the device '{Field(f, "name")}' ({Field(f, "device")}). It gets no new messages, the relay refuses it, " +
                  "and contacts stop encrypting to it. This cannot be undone.",
        async (client, f, _, ct) =>
        {
            var device = await client.RevokeDeviceAsync(Field(f, "device"), "revoked in the Trust Security Center", ct);
            return new ActionOutcome($"The device '{device.Name}' is revoked.");
        });

    private static CenterAction RotatePrekeys() => new(
        "rotate-prekeys", "Rotate the signed prekey", [],
        (_, _) => "Make a new signed prekey, top up one-time prekeys and upload the new bundle to the relay.",
        async (client, _, _, ct) =>
        {
            var status = await client.MaintainPrekeysAsync(rotateSignedPrekey: true, ct);
            return new ActionOutcome($"Signed prekey rotated; the relay holds {status.OneTimePrekeys} one-time and {status.OneTimeKemPrekeys} one-time KEM prekeys.");
        });

    private CenterAction ApproveLink() => new(
        "approve-link", "Start approving a new device", ["code"],
        (_, _) => "Open the linking channel for the code the new device shows, then compare the code both devices show. " +
                  "Nothing is added before you confirm that comparison.",
        async (client, f, csrf, ct) =>
        {
            var approval = await client.ApproveLinkAsync(Field(f, "code"), _linkTimeout, ct);
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            foreach (var old in _approvals.Keys) if (_approvals.TryRemove(old, out var stale)) stale.Dispose();
            _approvals[id] = approval;
            var sas = approval.Sas.ToString();
            var next = $"<p>The new device must show exactly: <strong class=\"sas\">{Pages.Html.E(sas)}</strong></p>" +
                       Pages.Html.ActionForm("complete-link", csrf, "They match: add the device", [("link", id), ("answer", "match"), ("sas", sas)]) +
                       Pages.Html.ActionForm("complete-link", csrf, "They differ: refuse", [("link", id), ("answer", "differ"), ("sas", sas)], buttonClass: "danger");
            return new ActionOutcome("The new device answered. Compare the code.", next);
        });

    private CenterAction CompleteLink() => new(
        "complete-link", "Finish linking the new device", ["link", "answer", "sas"],
        (_, f) => Field(f, "answer") == "match"
            ? $"Add the new device to this account: both devices show {Field(f, "sas")}."
            : "Refuse the new device: the codes differ (someone else may be answering).",
        async (_, f, _, ct) =>
        {
            if (!_approvals.TryRemove(Field(f, "link"), out var approval))
                return new ActionOutcome("That linking request is no longer pending; start again with the new device's code.");
            using (approval)
            {
                var matches = Field(f, "answer") == "match";
                var device = await approval.CompleteAsync(matches, _linkTimeout, ct);
                return new ActionOutcome($"The device '{device.Name}' ({device.DeviceId}) is added to this account.");
            }
        });
}
