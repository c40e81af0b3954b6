using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Console;

/// <summary>
/// The console's security frame, in front of each console route (the admin JSON API keeps its bearer credential):
/// strict headers (CSP without inline script, no framing), the Host must be the listener's own loopback address or a
/// configured admin address, an Origin (required on POST) must be the console's own, pages need the session cookie,
/// and every POST needs the session's CSRF token in its form.
/// </summary>
public sealed class ConsoleGuard(ConsoleSessions sessions, IReadOnlyList<string> adminUrls)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public const string CsrfField = "csrf";
    public const int MaxFormBytes = 16 * 1024;

    /// <summary>The form limit of the routes that carry a whole organisation document (<see cref="Policy.OrgDocuments.MaxChars"/>, form-encoded).</summary>
    public const int MaxDocumentFormBytes = 128 * 1024;

    /// <summary>What a guarded request carries on: the session's CSRF token (null for the sign-in pages) and the form of a POST.</summary>
    public sealed record Passed(string? Csrf, IFormCollection? Form);

    public static void Headers(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    /// <summary>Checks the request; on refusal writes the refusal page and returns null.</summary>
    public async Task<Passed?> CheckAsync(HttpContext context, bool needsSession, int maxFormBytes = MaxFormBytes)
    {
        Headers(context.Response);
        var request = context.Request;
        if (!IsOwnHost(request.Host, context.Connection.LocalPort))
            return await Refuse(context, 400, "Wrong host", "The console answers only at its own listener address.");
        var origin = request.Headers.Origin.ToString();
        var isPost = HttpMethods.IsPost(request.Method);
        if ((origin.Length > 0 || isPost) && origin != $"{request.Scheme}://{request.Host}")
            return await Refuse(context, 403, "Cross-origin request refused", "Requests must come from the console itself.");

        string? csrf = null;
        if (needsSession)
        {
            csrf = sessions.CsrfOf(request.Cookies[ConsoleSessions.CookieName]);
            if (csrf is null)
            {
                if (!isPost)
                {
                    context.Response.StatusCode = 303;
                    context.Response.Headers.Location = ConsoleRoutes.Login;
                    return null;
                }

                return await Refuse(context, 401, "Not signed in", "Sign in with the admin credential.");
            }
        }

        IFormCollection? form = null;
        if (isPost)
        {
            if (!request.HasFormContentType || request.ContentLength is null || request.ContentLength > maxFormBytes)
                return await Refuse(context, 400, "Bad form", $"A form post of at most {maxFormBytes / 1024} KiB is expected.");
            form = await request.ReadFormAsync(context.RequestAborted);
            if (csrf is not null && !ConsoleSessions.SameToken(form[CsrfField].ToString(), csrf))
                return await Refuse(context, 403, "Form token missing or wrong", "Reload the page and try again.");
        }

        return new Passed(csrf, form);
    }

    private bool IsOwnHost(HostString host, int localPort)
    {
        if (host.Host is "127.0.0.1" or "localhost" or "[::1]" && host.Port == localPort) return true;
        return adminUrls.Any(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Port != 0
            && string.Equals(url.Authority, host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<Passed?> Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await ConsolePages.WriteAsync(context, ConsolePages.Layout(title, $"<p>{ConsolePages.E(detail)}</p>", signedIn: false));
        return null;
    }
}
