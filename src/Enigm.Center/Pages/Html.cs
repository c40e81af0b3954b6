using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Enigm.Center.Pages;

/// <summary>HTML helpers: every value from the device state or the request goes through <see cref="E"/>.</summary>
public static class Html
{
    /// <summary>HTML-encodes text for element content and quoted attributes.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A path segment (contact names may hold any character but '/').</summary>
    public static string Segment(string text) => Uri.EscapeDataString(text);

    public static string Date(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{age.TotalDays:0} days" : age.TotalHours >= 1 ? $"{age.TotalHours:0} h" : $"{Math.Max(0, age.TotalMinutes):0} min";

    public static string Short(string id) => id.Length > 16 ? id[..16] + "…" : id;

    /// <summary>A hidden form field.</summary>
    public static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    /// <summary>A form posting to an action (confirmation first): the CSRF token plus the given hidden fields and a button.</summary>
    public static string ActionForm(string action, string csrf, string button, IEnumerable<(string Name, string Value)> fields, string extra = "", string buttonClass = "") =>
        new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/actions/{E(action)}\" class=\"inline\">")
            .Append(Hidden(Security.RequestGuard.CsrfField, csrf))
            .AppendJoin("", fields.Select(f => Hidden(f.Name, f.Value)))
            .Append(extra)
            .Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" class=\"{E(buttonClass)}\">{E(button)}</button></form>")
            .ToString();

    public static async Task WriteAsync(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
