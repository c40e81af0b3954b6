using System.Text;
using Enigm.Crypto.Errors;
using Enigm.Keys.Audit;
using Enigm.Server.Hosting;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Console;

/// <summary>
/// The console's half of offline signing (docs/policy.md, "Offline signing"): the policy editor and the per-device
/// restrict / lift / revoke buttons answer an <em>unsigned</em> document — the next policy version, or the device
/// action linked to the admin audit log's current head, as <c>enigm org restrict|lift|revoke</c> builds it — with the
/// command that signs it where the organisation key lives, and the upload form for the signed file. Nothing here
/// changes any state: the relay holds no organisation key, so only the organisation's signature can.
/// </summary>
public static class ConsoleDrafts
{
    /// <summary>The unsigned set-policy action's policy hash: the signer fills in the SHA-256 of the policy it signed.</summary>
    public static readonly byte[] PolicyHashToFill = new byte[AdminActionEncoding.HashSize];

    public static async Task PolicyAsync(HttpContext context, RelayState state, string csrf, IFormCollection form)
    {
        if (await OrganisationAsync(context, state, csrf) is not { } organisation) return;
        var current = await state.Store.Policy.GetPolicyAsync(context.RequestAborted);
        var version = (current?.Version ?? 0) + 1;
        OrganisationPolicy policy;
        string reason;
        byte[] policyBytes, actionBytes;
        try
        {
            (policy, reason) = ConsolePolicyEditor.Read(form, organisation.Id, version, state.Now);
            var head = await HeadAsync(state, context.RequestAborted);
            policyBytes = PolicyEncoding.Sign(policy, Unsigned, organisation.SuiteId);
            actionBytes = AdminActionEncoding.Sign(new AdminAction(organisation.Id, AdminActionKind.SetPolicy, "", "", reason, state.Now, version, PolicyHashToFill, head), Unsigned, organisation.SuiteId);
        }
        catch (ArgumentException e)
        {
            await ConsolePages.ProblemAsync(context, 400, "Policy not prepared", e.Message, csrf);
            return;
        }

        var document = new OrgDocument(OrgDocumentKind.UnsignedPolicy, policyBytes, actionBytes);
        var summary = new StringBuilder($"<dt>Version</dt><dd id=\"draft-version\">{version}</dd>")
            .Append(ConsoleOrganisation.PolicyRules(policy, "draft"))
            .Append($"<dt>Reason</dt><dd>{ConsolePages.E(reason)}</dd>");
        await ConsolePages.WriteAsync(context, ConsolePages.Layout($"Sign offline: policy version {version}", Page(document, summary.ToString(), csrf), true, csrf));
    }

    public static async Task ActionAsync(HttpContext context, RelayState state, string csrf, IFormCollection form)
    {
        if (await OrganisationAsync(context, state, csrf) is not { } organisation) return;
        var kindName = form["kind"].ToString();
        AdminActionKind? kind = kindName switch
        {
            "restrict" => AdminActionKind.Restrict,
            "lift" => AdminActionKind.LiftRestriction,
            "revoke" => AdminActionKind.Revoke,
            _ => null,
        };
        var account = form["account"].ToString().Trim();
        var device = form["device"].ToString().Trim();
        var known = kind is not null && account.Length <= 128 && device.Length <= 128
            && await state.Store.GetAccountAsync(account, context.RequestAborted) is { } stored && stored.Devices.Any(d => d.Device == device && !d.Revoked);
        if (!known)
        {
            await ConsolePages.ProblemAsync(context, 400, "Action not prepared", "Restrict, lift or revoke a device this relay knows (from the device list).", csrf);
            return;
        }

        var verb = Verb(kind!.Value);
        var target = $"device <code>{ConsolePages.E(device)}</code> of account <code>{ConsolePages.E(ConsolePages.Short(account))}</code>";
        if (form["reason"].Count == 0)
        {
            var fields = new[] { ("kind", kindName), ("account", account), ("device", device) };
            var reasonInput = "<label for=\"reason\">Reason (signed, recorded in the admin audit log and shown to the device)</label>"
                + $"<input id=\"reason\" name=\"reason\" type=\"text\" required maxlength=\"{AdminActionEncoding.MaxReasonBytes}\" value=\"{ConsolePages.E(verb + " by the organisation")}\"> ";
            var ask = $"<p id=\"confirm-description\">{Capitalised(verb)} {target}. {Effect(kind.Value)}</p>"
                + ConsolePages.PostForm(ConsoleRoutes.ActionDraft, csrf, "Prepare the action for signing", fields, reasonInput)
                + $" <a href=\"{ConsoleRoutes.Home}\">Cancel</a>";
            await ConsolePages.WriteAsync(context, ConsolePages.Layout($"{Capitalised(verb)} a device", ask, true, csrf));
            return;
        }

        var reason = form["reason"].ToString().Trim();
        byte[] actionBytes;
        try
        {
            if (reason.Length == 0) throw new ArgumentException("Give a reason: it is signed, recorded and shown to the device.");
            var head = await HeadAsync(state, context.RequestAborted);
            actionBytes = AdminActionEncoding.Sign(new AdminAction(organisation.Id, kind.Value, account, device, reason, state.Now, 0, [], head), Unsigned, organisation.SuiteId);
        }
        catch (ArgumentException e)
        {
            await ConsolePages.ProblemAsync(context, 400, "Action not prepared", e.Message, csrf);
            return;
        }

        var summary = $"<dt>Action</dt><dd id=\"draft-action\">{ConsolePages.E(verb)}</dd><dt>Device</dt><dd><code>{ConsolePages.E(device)}</code></dd>"
            + $"<dt>Account</dt><dd><code>{ConsolePages.E(account)}</code></dd><dt>Reason</dt><dd>{ConsolePages.E(reason)}</dd>";
        var document = new OrgDocument(OrgDocumentKind.UnsignedAction, null, actionBytes);
        await ConsolePages.WriteAsync(context, ConsolePages.Layout($"Sign offline: {verb} a device", Page(document, summary, csrf), true, csrf));
    }

    /// <summary>The unsigned document as a file: only an unsigned document that parses is answered (never arbitrary text).</summary>
    public static async Task DownloadAsync(HttpContext context, string csrf, IFormCollection form)
    {
        OrgDocument document;
        try
        {
            document = OrgDocuments.Read(form["document"].ToString());
            if (document.IsSigned) throw new MalformedInputException("Only unsigned documents are offered for download.");
        }
        catch (EnigmException e)
        {
            await ConsolePages.ProblemAsync(context, 400, "No such document", e.Message, csrf);
            return;
        }

        context.Response.ContentType = "application/x-pem-file";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{OrgDocuments.FileName(document)}\"";
        await context.Response.WriteAsync(OrgDocuments.Write(document), context.RequestAborted);
    }

    /// <summary>The draft page: what it says, the document to copy or download, the signing command, and the upload form.</summary>
    private static string Page(OrgDocument document, string summary, string csrf)
    {
        var text = OrgDocuments.Write(document);
        var unsignedName = OrgDocuments.FileName(document);
        var signedName = unsignedName.Replace(".unsigned.", ".signed.", StringComparison.Ordinal);
        return new StringBuilder("<p id=\"draft-status\" role=\"status\">Nothing has changed yet. Sign this document where the organisation key lives, then upload the signed file below.</p>")
            .Append($"<dl class=\"stats\">{summary}</dl>")
            .Append("<label for=\"unsigned\">Unsigned document (copy it, or download it)</label>")
            .Append($"<textarea id=\"unsigned\" readonly rows=\"8\" spellcheck=\"false\">{ConsolePages.E(text)}</textarea>")
            .Append(ConsolePages.PostForm(ConsoleRoutes.Download, csrf, $"Download {unsignedName}", [("document", text)]))
            .Append("<p>Sign it offline, with the organisation key store (<code>--org-home</code>; no relay is contacted):</p>")
            .Append($"<pre><code id=\"sign-command\">enigm org sign --in {unsignedName} --out {signedName}</code></pre>")
            .Append(ConsoleUpload.Form(csrf))
            .ToString();
    }

    private static async Task<OrganisationKey?> OrganisationAsync(HttpContext context, RelayState state, string csrf)
    {
        if (await state.Store.Policy.GetOrganisationKeyAsync(context.RequestAborted) is { } key) return OrganisationKey.FromEncoded(key);
        await ConsolePages.ProblemAsync(context, 409, "No organisation", "No organisation key is registered on this relay: run enigm org init first.", csrf);
        return null;
    }

    /// <summary>The chain hash of the admin audit log's head, which the action links to (32 zero bytes before the first entry).</summary>
    private static async Task<byte[]> HeadAsync(RelayState state, CancellationToken ct) =>
        (await state.Store.Policy.GetAuditHeadAsync(ct))?.Hash ?? AuditChainLink.GenesisPreviousHash();

    /// <summary>The envelope with an empty signature: exactly the body the organisation key is to sign.</summary>
    private static byte[] Unsigned(byte[] message) => [];

    internal static string Verb(AdminActionKind kind) => kind switch
    {
        AdminActionKind.Restrict => "restrict",
        AdminActionKind.LiftRestriction => "lift the restriction of",
        AdminActionKind.Revoke => "revoke",
        _ => "set the policy",
    };

    private static string Effect(AdminActionKind kind) => kind switch
    {
        AdminActionKind.Restrict => "It may still receive, but not send, until a later lift.",
        AdminActionKind.LiftRestriction => "It must still meet the policy.",
        _ => "Final: the organisation never trusts it again.",
    };

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
