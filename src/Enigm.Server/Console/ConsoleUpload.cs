using System.Text;
using Enigm.Crypto.Errors;
using Enigm.Server.Hosting;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Enigm.Server.Console;

/// <summary>
/// The upload of a policy or device action the organisation key signed offline (<c>enigm org sign</c>): a console action
/// like the others (confirmation page, then the effect), whose effect is what the admin API does with the same bytes —
/// <see cref="OrgAdminApi.RecordPolicyAsync"/> or <see cref="OrgAdminApi.RecordActionAsync"/> verify the organisation
/// signature, the version (never a rollback) and the link to the audit head before anything is stored. A bad upload is
/// refused with the reason and changes nothing.
/// </summary>
public static class ConsoleUpload
{
    public const string Name = "record-signed";
    public const string TextField = "signed";
    public const string FileField = "signed-file";

    public static string Form(string csrf) =>
        new StringBuilder("<section aria-labelledby=\"upload\"><h2 id=\"upload\">Upload a signed policy or action</h2>")
            .Append($"<form method=\"post\" action=\"/console/actions/{Name}\" enctype=\"multipart/form-data\" class=\"editor\">{ConsolePages.Hidden(ConsoleGuard.CsrfField, csrf)}")
            .Append($"<label for=\"{FileField}\">Signed file (what <code>enigm org sign</code> wrote)</label><input id=\"{FileField}\" name=\"{FileField}\" type=\"file\" accept=\".pem,text/plain\">")
            .Append($"<label for=\"{TextField}\">Or paste it</label><textarea id=\"{TextField}\" name=\"{TextField}\" rows=\"4\" spellcheck=\"false\"></textarea>")
            .Append("<p><button type=\"submit\">Upload and verify</button></p></form>")
            .Append("<p>The relay checks the organisation's signature, that a policy's version is above the current one and that the document ")
            .Append("links to the admin audit log's current head; anything else is refused and nothing changes.</p></section>")
            .ToString();

    /// <summary>The uploaded file, if any, as the text field (so the confirmation step can carry it as a hidden field).</summary>
    public static async Task<IFormCollection> WithFileAsTextAsync(IFormCollection form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (form[TextField].ToString().Trim().Length > 0 || form.Files.GetFile(FileField) is not { Length: > 0 } file) return form;
        if (file.Length > OrgDocuments.MaxChars) throw new MalformedInputException($"The signed file is larger than {OrgDocuments.MaxChars} bytes.");
        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var fields = form.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        fields[TextField] = new StringValues(text);
        return new FormCollection(fields);
    }

    public static ConsoleAction Action() => new(
        Name, "Record the signed document", [TextField],
        f =>
        {
            var document = Read(f);
            var check = " The relay verifies the organisation's signature and its link to the admin audit log's head before storing it.";
            if (document.IsPolicy)
            {
                var p = PolicyEncoding.ReadUnverified(document.Policy!);
                return $"Record policy version {p.Version} of {p.Organisation}: minimum client {p.MinClientVersion ?? "any"}, minimum OS {p.MinOsVersion ?? "any"}"
                    + $" (reason: {AdminActionEncoding.ReadUnverified(document.Action).Reason}).{check} A version not above the current one is refused.";
            }

            var a = AdminActionEncoding.ReadUnverified(document.Action);
            return $"Record: {ConsoleDrafts.Verb(a.Kind)} device {a.Device} of account {a.Account} (reason: {a.Reason}).{check}";
        },
        async (state, f, ct) =>
        {
            var document = Read(f);
            if (document.IsPolicy)
            {
                var record = await OrgAdminApi.RecordPolicyAsync(state, document.Policy!, document.Action, ct);
                return $"Policy version {PolicyEncoding.ReadUnverified(document.Policy!).Version} is verified and set (admin audit entry {record.Sequence}); devices are evaluated against it.";
            }

            var (entry, device) = await OrgAdminApi.RecordActionAsync(state, document.Action, ct);
            return $"Verified and recorded (admin audit entry {entry.Sequence}): device {device.Device} is now {device.State}.";
        });

    private static OrgDocument Read(IFormCollection form)
    {
        var document = OrgDocuments.Read(form[TextField].ToString());
        return document.IsSigned
            ? document
            : throw new MalformedInputException("This document is not signed yet: sign it with enigm org sign (where the organisation key lives), then upload what it wrote.");
    }
}
