using System.Reflection;
using Enigm.Center.Actions;
using Enigm.Center.Pages;
using Enigm.Center.Security;
using Enigm.Client;
using Enigm.Client.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Enigm.Center;

/// <summary>
/// The page's routes. GET pages read through the SDK; every POST goes to <c>/actions/{name}</c>, answered first with
/// a confirmation page, and only a post carrying <c>confirmed=yes</c> (with the CSRF token, checked by
/// <see cref="RequestGuard"/>) runs the SDK call. SDK errors become a page naming the typed error.
/// </summary>
internal sealed class CenterEndpoints(EnigmClient client, CenterSession session, CenterActions actions, CenterOptions options)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/open", Open);
        app.MapGet("/", context => Guarded(context, "Trust overview", async () =>
            await Html.WriteAsync(context, await OverviewPage.RenderAsync(client, options.TrustPolicy, session.CsrfToken, context.RequestAborted))));
        app.MapGet("/contacts/{name}", context => Guarded(context, "Contact", () =>
            Html.WriteAsync(context, ContactPage.Render(client, Name(context), options.TrustPolicy, session.CsrfToken))));
        app.MapGet("/contacts/{name}/qr.png", context => Guarded(context, "QR code", async () =>
        {
            var png = QrImage.Png(client.SafetyNumberQr(Name(context)));
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(png, context.RequestAborted);
        }));
        app.MapPost("/actions/{name}", Act);
        app.MapGet("/static/{file}", Asset);
        app.MapGet("/favicon.ico", context =>
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = "/static/favicon.svg";
            return Task.CompletedTask;
        });
        app.MapFallback(context =>
        {
            context.Response.StatusCode = 404;
            return Html.WriteAsync(context, Layout.Page("Not found", "<p><a href=\"/\">Back to the overview</a></p>", session.CsrfToken));
        });
    }

    private static string Name(HttpContext context) => context.Request.RouteValues["name"] as string ?? "";

    private async Task Open(HttpContext context)
    {
        var sessionId = session.Exchange(context.Request.Query["token"].ToString());
        if (sessionId is null)
        {
            context.Response.StatusCode = 403;
            await Html.WriteAsync(context, Layout.Page("Link not valid", "<p>This link is wrong or was already used. Start <code>enigm center</code> again for a new one.</p>", null));
            return;
        }

        context.Response.Cookies.Append(session.CookieName, sessionId, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
        context.Response.StatusCode = 303;
        context.Response.Headers.Location = "/";
    }

    private async Task Act(HttpContext context)
    {
        var action = actions.Find(Name(context));
        if (action is null)
        {
            context.Response.StatusCode = 404;
            await Html.WriteAsync(context, Layout.Page("No such action", "<p><a href=\"/\">Back to the overview</a></p>", session.CsrfToken));
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (action.Fields.Any(f => form[f].ToString().Length > CenterActions.MaxFieldLength))
        {
            context.Response.StatusCode = 400;
            await Html.WriteAsync(context, Layout.Page("Bad form", "<p>A field is too long.</p>", session.CsrfToken));
            return;
        }

        if (form[ActionPages.ConfirmedField].ToString() != "yes")
        {
            await Html.WriteAsync(context, ActionPages.Confirm(action, form, action.Describe(client, form), session.CsrfToken));
            return;
        }

        await Guarded(context, action.Title, async () =>
        {
            var outcome = await action.Execute(client, form, session.CsrfToken, context.RequestAborted);
            await Html.WriteAsync(context, ActionPages.Done(action, outcome, session.CsrfToken));
        });
    }

    private async Task Guarded(HttpContext context, string title, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (EnigmException e) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = e switch
            {
                ContactNotFoundException => 404,
                RelayException => 502,
                _ => 422,
            };
            await Html.WriteAsync(context, ActionPages.Failed(title, e, session.CsrfToken));
        }
        catch (ArgumentException e) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = 400;
            await Html.WriteAsync(context, Layout.Page($"Not done: {title}", $"<p id=\"outcome\" class=\"problem\" role=\"alert\">{Html.E(e.Message)}</p><p><a href=\"/\">Back</a></p>", session.CsrfToken));
        }
    }

    private static async Task Asset(HttpContext context)
    {
        var file = context.Request.RouteValues["file"] as string;
        var type = file switch
        {
            "center.css" => "text/css; charset=utf-8",
            "center.js" => "text/javascript; charset=utf-8",
            "favicon.svg" => "image/svg+xml",
            _ => null,
        };
        await using var stream = type is null ? null : typeof(CenterEndpoints).Assembly.GetManifestResourceStream("assets/" + file);
        if (stream is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = type;
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
