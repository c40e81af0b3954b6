using Microsoft.AspNetCore.Http;

namespace Enigm.Center.Security;

/// <summary>
/// Headers on every response of the page: a strict Content-Security-Policy (nothing by default; style, script and
/// images only from the page itself, no inline script; forms post only to it; no framing, CSP Level 3
/// frame-ancestors, with X-Frame-Options for older browsers), no sniffing, no referrer to other sites, nothing cached.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        // same-origin, not no-referrer: under no-referrer Chromium sends "Origin: null" on form posts, which the guard refuses.
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }
}
