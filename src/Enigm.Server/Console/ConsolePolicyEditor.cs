using System.Globalization;
using System.Text;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Console;

/// <summary>
/// The console's policy editor (issue 14, "policy editor"): a form pre-filled from the current signed policy. Its submit
/// changes nothing; it answers the next version as an unsigned document for the organisation key to sign offline
/// (<see cref="ConsoleDrafts"/>), because the relay never holds that key (docs/policy.md, "Offline signing").
/// </summary>
public static class ConsolePolicyEditor
{
    public const int MaxDays = 100_000;

    /// <summary>The protectors a policy can require, as the form names them (docs/policy.md, "Formats").</summary>
    public static readonly IReadOnlyList<(string Name, KeyProtectorKind Kind, string Label)> Protectors =
    [
        ("passphrase", KeyProtectorKind.Passphrase, "Passphrase"),
        ("tpm", KeyProtectorKind.Tpm, "TPM"),
        ("os-keystore", KeyProtectorKind.OsKeyStore, "OS key store"),
    ];

    public static string Render(OrganisationPolicy? current, string csrf)
    {
        var s = new StringBuilder("<section aria-labelledby=\"editor\"><h2 id=\"editor\">Policy editor</h2>")
            .Append("<p>Submitting changes nothing: it gives you the next policy version, unsigned, to sign with the organisation key ")
            .Append("where it lives (<code>enigm org sign</code>), then to upload here.</p>")
            .Append($"<form method=\"post\" action=\"{ConsoleRoutes.PolicyDraft}\" class=\"editor\">{ConsolePages.Hidden(ConsoleGuard.CsrfField, csrf)}")
            .Append(Text("min-client", "Minimum client version (empty: any)", current?.MinClientVersion, "e.g. 2.1.0"))
            .Append(Text("min-os", "Minimum OS version (empty: any)", current?.MinOsVersion, "e.g. 13.0"))
            .Append("<fieldset><legend>Required key protector (none ticked: any)</legend>");
        foreach (var (name, kind, label) in Protectors)
        {
            var on = current?.AllowedProtectors.Contains(kind) == true ? " checked" : "";
            s.Append($"<input type=\"checkbox\" id=\"protector-{name}\" name=\"protector\" value=\"{name}\"{on}><label class=\"check\" for=\"protector-{name}\">{label}</label> ");
        }

        s.Append("</fieldset>")
            .Append(Days("max-key-age", "Maximum key age in days (empty: none)", current?.MaxKeyAge))
            .Append(Days("max-since-update", "Maximum days since the last verified update check (empty: none)", current?.MaxSinceOtaCheck))
            .Append($"<p><input type=\"checkbox\" id=\"require-verification\" name=\"require-verification\" value=\"yes\"{(current?.RequireContactVerification == true ? " checked" : "")}>")
            .Append("<label class=\"check\" for=\"require-verification\">New devices and changed contacts must be verified</label></p>")
            .Append(Text("reason", "Reason (signed, recorded in the admin audit log)", "policy change", null, required: true))
            .Append("<p><button type=\"submit\">Prepare the new version for signing</button></p></form></section>");
        return s.ToString();
    }

    /// <summary>The policy the form describes, as version <paramref name="version"/>; <see cref="ArgumentException"/> names a bad field.</summary>
    public static (OrganisationPolicy Policy, string Reason) Read(IFormCollection form, string organisation, ulong version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(form);
        var protectors = new List<KeyProtectorKind>();
        foreach (var value in form["protector"])
        {
            var match = Protectors.FirstOrDefault(p => p.Name == value);
            if (match.Name is null) throw new ArgumentException($"Unknown key protector '{Short(value)}'.");
            protectors.Add(match.Kind);
        }

        var policy = new OrganisationPolicy(organisation, version, now, VersionField(form, "min-client", "minimum client version"), VersionField(form, "min-os", "minimum OS version"),
            [.. protectors.Distinct().Order()], DaysField(form, "max-key-age", "maximum key age"), DaysField(form, "max-since-update", "maximum days since an update check"),
            form["require-verification"].ToString() == "yes");
        var reason = form["reason"].ToString().Trim();
        if (reason.Length == 0) throw new ArgumentException("Give a reason: it is signed and recorded in the admin audit log.");
        return (policy, reason);
    }

    private static string? VersionField(IFormCollection form, string name, string what)
    {
        var text = form[name].ToString().Trim();
        if (text.Length == 0) return null;
        return VersionNumber.IsValid(text) ? text : throw new ArgumentException($"The {what} '{Short(text)}' is not a dotted numeric version such as 2.1.0.");
    }

    private static TimeSpan? DaysField(IFormCollection form, string name, string what)
    {
        var text = form[name].ToString().Trim();
        if (text.Length == 0) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= MaxDays
            ? TimeSpan.FromDays(days)
            : throw new ArgumentException($"The {what} '{Short(text)}' is not a whole number of days from 1 to {MaxDays}.");
    }

    private static string Text(string name, string label, string? value, string? placeholder, bool required = false) =>
        $"<label for=\"{name}\">{ConsolePages.E(label)}</label><input id=\"{name}\" name=\"{name}\" type=\"text\" maxlength=\"512\" value=\"{ConsolePages.E(value)}\""
        + (placeholder is null ? "" : $" placeholder=\"{ConsolePages.E(placeholder)}\"") + (required ? " required" : "") + ">";

    private static string Days(string name, string label, TimeSpan? value) =>
        $"<label for=\"{name}\">{ConsolePages.E(label)}</label><input id=\"{name}\" name=\"{name}\" type=\"number\" min=\"1\" max=\"{MaxDays}\" step=\"1\" "
        + $"value=\"{(value is { } v ? ((long)Math.Ceiling(v.TotalDays)).ToString(CultureInfo.InvariantCulture) : "")}\">";

    private static string Short(string? text) => text is null ? "" : text.Length > 40 ? text[..40] + "…" : text;
}
