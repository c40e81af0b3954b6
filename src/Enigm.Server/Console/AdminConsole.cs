using System.Text;
using Enigm.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Console;

/// <summary>
/// The organisation console (issue 14, "Pages"): server-rendered pages on the relay's admin listener, signed in with
/// the admin credential, behind <see cref="ConsoleGuard"/>. Every action is confirmed on a page of its own first.
/// Like the admin API it reads metadata only: nothing here can return a message body or attachment bytes.
/// </summary>
public static class AdminConsole
{
    public static void Map(IEndpointRouteBuilder app, RelayState state, byte[] credential)
    {
        var sessions = new ConsoleSessions(credential, state.Options.Time);
        var guard = new ConsoleGuard(sessions, state.Options.AdminUrls);
        app.MapGet(ConsoleRoutes.Style, context =>
        {
            ConsoleGuard.Headers(context.Response);
            context.Response.ContentType = "text/css; charset=utf-8";
            return context.Response.WriteAsync(ConsoleStyle.Css, context.RequestAborted);
        });
        app.MapGet(ConsoleRoutes.Icon, context =>
        {
            ConsoleGuard.Headers(context.Response);
            context.Response.ContentType = "image/svg+xml";
            return context.Response.WriteAsync(ConsoleStyle.Icon, context.RequestAborted);
        });
        app.MapGet(ConsoleRoutes.Login, async context =>
        {
            if (await guard.CheckAsync(context, needsSession: false) is null) return;
            await ConsolePages.WriteAsync(context, LoginPage(null));
        });
        app.MapPost(ConsoleRoutes.Login, async context =>
        {
            if (await guard.CheckAsync(context, needsSession: false) is not { Form: { } form }) return;
            if (!sessions.IsCredential(form["credential"].ToString()))
            {
                context.Response.StatusCode = 401;
                await ConsolePages.WriteAsync(context, LoginPage("That is not the admin credential."));
                return;
            }

            var (session, _) = sessions.Start();
            context.Response.Cookies.Append(ConsoleSessions.CookieName, session, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = ConsoleRoutes.Home,
                Secure = context.Request.IsHttps,
                IsEssential = true,
            });
            context.Response.StatusCode = 303;
            context.Response.Headers.Location = ConsoleRoutes.Home;
        });
        app.MapPost(ConsoleRoutes.Logout, async context =>
        {
            if (await guard.CheckAsync(context, needsSession: true) is null) return;
            sessions.End(context.Request.Cookies[ConsoleSessions.CookieName]);
            context.Response.Cookies.Delete(ConsoleSessions.CookieName, new CookieOptions { Path = ConsoleRoutes.Home });
            context.Response.StatusCode = 303;
            context.Response.Headers.Location = ConsoleRoutes.Login;
        });
        app.MapGet(ConsoleRoutes.Home, async context =>
        {
            if (await guard.CheckAsync(context, needsSession: true) is not { Csrf: { } csrf }) return;
            var body = await ConsoleOverview.RenderAsync(state, csrf, context.RequestAborted)
                + await ConsoleOrganisation.RenderAsync(state, csrf, context.RequestAborted);
            await ConsolePages.WriteAsync(context, ConsolePages.Layout("Organisation console", body, signedIn: true, csrf));
        });
        app.MapPost(ConsoleRoutes.Action, async context =>
        {
            var limit = ConsoleActions.MaxFormBytesOf(context.Request.RouteValues["name"] as string);
            if (await guard.CheckAsync(context, needsSession: true, limit) is not { Csrf: { } csrf, Form: { } form }) return;
            await ActAsync(context, state, csrf, form);
        });

        // Offline signing (docs/policy.md): these answer unsigned documents and change nothing; the upload is an action.
        app.MapPost(ConsoleRoutes.PolicyDraft, async context =>
        {
            if (await guard.CheckAsync(context, needsSession: true) is not { Csrf: { } csrf, Form: { } form }) return;
            await ConsoleDrafts.PolicyAsync(context, state, csrf, form);
        });
        app.MapPost(ConsoleRoutes.ActionDraft, async context =>
        {
            if (await guard.CheckAsync(context, needsSession: true) is not { Csrf: { } csrf, Form: { } form }) return;
            await ConsoleDrafts.ActionAsync(context, state, csrf, form);
        });
        app.MapPost(ConsoleRoutes.Download, async context =>
        {
            if (await guard.CheckAsync(context, needsSession: true, ConsoleGuard.MaxDocumentFormBytes) is not { Csrf: { } csrf, Form: { } form }) return;
            await ConsoleDrafts.DownloadAsync(context, csrf, form);
        });
    }

    private static string LoginPage(string? problem) =>
        ConsolePages.Layout("Sign in",
            (problem is null ? "" : $"<p class=\"problem\" role=\"alert\">{ConsolePages.E(problem)}</p>") +
            $"<form method=\"post\" action=\"{ConsoleRoutes.Login}\"><label for=\"credential\">Admin credential</label>" +
            "<input id=\"credential\" name=\"credential\" type=\"password\" required autocomplete=\"current-password\"> <button type=\"submit\">Sign in</button></form>",
            signedIn: false);

    private static async Task ActAsync(HttpContext context, RelayState state, string csrf, IFormCollection form)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        if (!ConsoleActions.All.TryGetValue(name, out var action))
        {
            context.Response.StatusCode = 404;
            await ConsolePages.WriteAsync(context, ConsolePages.Layout("No such action", "<p><a href=\"/console\">Back</a></p>", true, csrf));
            return;
        }

        if (action.Fields.Any(f => form[f].ToString().Length > ConsoleActions.MaxLengthOf(action.Name, f)))
        {
            context.Response.StatusCode = 400;
            await ConsolePages.WriteAsync(context, ConsolePages.Layout("Bad form", "<p>A field is too long.</p>", true, csrf));
            return;
        }

        string outcome;
        try
        {
            if (action.Name == ConsoleUpload.Name) form = await ConsoleUpload.WithFileAsTextAsync(form, context.RequestAborted);
            if (form["confirmed"].ToString() != "yes")
            {
                // The confirmation step changes nothing; describing may already refuse input that is not what the action takes.
                var fields = action.Fields.Select(f => (f, form[f].ToString())).Append(("confirmed", "yes"));
                var confirm = new StringBuilder($"<p id=\"confirm-description\">{ConsolePages.E(action.Describe(form))}</p>")
                    .Append(ConsolePages.ActionForm(action.Name, csrf, $"Yes: {action.Title.ToLowerInvariant()}", fields, buttonClass: "danger"))
                    .Append(" <a href=\"/console\">Cancel</a>");
                await ConsolePages.WriteAsync(context, ConsolePages.Layout($"Confirm: {action.Title}", confirm.ToString(), true, csrf));
                return;
            }

            outcome = await action.Execute(state, form, context.RequestAborted);
        }
        catch (Exception e) when (e is EnigmException or Http.RelayProblemException or ArgumentException)
        {
            context.Response.StatusCode = e is Http.RelayProblemException { Status: >= 400 and < 500 } problem ? problem.Status : 422;
            outcome = "Not done: " + e.Message;
        }

        await ConsolePages.WriteAsync(context, ConsolePages.Layout(context.Response.StatusCode == 200 ? $"Done: {action.Title}" : $"Not done: {action.Title}",
            $"<p id=\"outcome\" role=\"status\">{ConsolePages.E(outcome)}</p><p><a href=\"/console\">Back to the console</a></p>", true, csrf));
    }
}
