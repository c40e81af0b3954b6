using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Console;

/// <summary>HTML helpers of the console: every stored value goes through <see cref="E"/>.</summary>
public static class ConsolePages
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Date(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Short(string id) => id.Length > 16 ? id[..16] + "…" : id;

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MiB",
    };

    public static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    /// <summary>A form posting to a console action (answered by a confirmation page first).</summary>
    public static string ActionForm(string action, string csrf, string button, IEnumerable<(string Name, string Value)> fields, string extra = "", string buttonClass = "") =>
        PostForm($"/console/actions/{action}", csrf, button, fields, extra, buttonClass);

    /// <summary>A small inline form posting hidden <paramref name="fields"/> and the CSRF token to <paramref name="path"/>.</summary>
    public static string PostForm(string path, string csrf, string button, IEnumerable<(string Name, string Value)> fields, string extra = "", string buttonClass = "") =>
        new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{E(path)}\" class=\"inline\">")
            .Append(Hidden(ConsoleGuard.CsrfField, csrf))
            .AppendJoin("", fields.Select(f => Hidden(f.Name, f.Value)))
            .Append(extra)
            .Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" class=\"{E(buttonClass)}\">{E(button)}</button></form>")
            .ToString();

    /// <summary>A page that refuses a form: the problem, and the way back.</summary>
    public static Task ProblemAsync(HttpContext context, int status, string title, string problem, string? csrf)
    {
        context.Response.StatusCode = status;
        return WriteAsync(context, Layout(title, $"<p class=\"problem\" id=\"problem\" role=\"alert\">{E(problem)}</p><p><a href=\"{ConsoleRoutes.Home}\">Back to the console</a></p>", true, csrf));
    }

    public static string Layout(string title, string body, bool signedIn, string? csrf = null) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{E(title)} — Enigm organisation console</title><link rel=\"icon\" href=\"{ConsoleRoutes.Icon}\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"{ConsoleRoutes.Style}\"></head><body>" +
        "<a class=\"skip\" href=\"#main\">Skip to content</a><header><p class=\"brand\"><a href=\"/console\">Enigm organisation console</a></p>" +
        (signedIn && csrf is not null
            ? $"<form method=\"post\" action=\"{ConsoleRoutes.Logout}\" class=\"inline\">{Hidden(ConsoleGuard.CsrfField, csrf)}<button type=\"submit\">Sign out</button></form>"
            : "") +
        $"</header><main id=\"main\" tabindex=\"-1\"><h1>{E(title)}</h1>{body}</main>" +
        "<footer><p>Administration can only lower trust: restrict, revoke, disable. No page here shows message content.</p></footer></body></html>";

    public static async Task WriteAsync(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }
}
