using Enigm.Center.Pages;
using Microsoft.AspNetCore.Http;

namespace Enigm.Center.Security;

/// <summary>
/// The middleware in front of every page, in this order: security headers; the Host header must name the loopback
/// listener (a DNS-rebinding page sends its own host name); an Origin, when sent, must be this page's, and a POST must
/// send one; every page but <c>/open</c> and the static assets needs the session cookie; every POST needs the CSRF
/// token in its form (and a form body). Refusals are plain pages with 400, 401 or 403.
/// </summary>
public sealed class RequestGuard(CenterSession session, Func<int> port)
{
    public const string CsrfField = "csrf";
    public const int MaxFormBytes = 16 * 1024;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        SecurityHeaders.Apply(context.Response);
        var request = context.Request;
        if (!IsLoopbackHost(request.Host))
        {
            await Refuse(context, 400, "Wrong host", "This page answers only at 127.0.0.1 or localhost.");
            return;
        }

        var origin = request.Headers.Origin.ToString();
        var isPost = HttpMethods.IsPost(request.Method);
        if ((origin.Length > 0 || isPost) && !IsOwnOrigin(origin))
        {
            await Refuse(context, 403, "Cross-origin request refused", "Requests must come from this page itself.");
            return;
        }

        if (!isPost && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            await Refuse(context, 405, "Method not allowed", "Only GET and POST.");
            return;
        }

        var path = request.Path.Value ?? "/";
        if (path is "/open" or "/favicon.ico" || path.StartsWith("/static/", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        if (!session.IsSession(request.Cookies[session.CookieName]))
        {
            await Refuse(context, 401, "Not signed in", "Open the link that 'enigm center' printed (it works once).");
            return;
        }

        if (isPost)
        {
            if (!request.HasFormContentType || request.ContentLength is null or > MaxFormBytes)
            {
                await Refuse(context, 400, "Bad form", "A form post of at most 16 KiB is expected.");
                return;
            }

            var form = await request.ReadFormAsync(context.RequestAborted);
            if (!session.IsCsrfToken(form[CsrfField].ToString()))
            {
                await Refuse(context, 403, "Form token missing or wrong", "Reload the page and try again.");
                return;
            }
        }

        await next(context);
    }

    private bool IsLoopbackHost(HostString host) =>
        host.Port == port() && host.Host is "127.0.0.1" or "localhost";

    private bool IsOwnOrigin(string origin) =>
        origin == $"http://127.0.0.1:{port()}" || origin == $"http://localhost:{port()}";

    private static Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Html.WriteAsync(context, Layout.Page(title, $"<p>{Html.E(detail)}</p>", csrf: null));
    }
}
