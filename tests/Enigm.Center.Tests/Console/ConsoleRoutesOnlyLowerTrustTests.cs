using System.Net;
using System.Security.Cryptography;
using Enigm.Center.Tests.Support;
using Enigm.Server.Console;
using Enigm.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Center.Tests.Console;

/// <summary>
/// Every route the organisation console serves, enumerated from the endpoint data source <see cref="AdminConsole.Map"/>
/// fills (the call the relay makes, not a hand list), mirroring the admin API's enumeration
/// (tests/Enigm.Server.Tests/Policy/AdminRoutesOnlyLowerTrustTests.cs): each is on the reviewed list below; each page or
/// action needs the admin session; no GET changes anything; every session POST needs the CSRF token; and none adds a
/// device, returns message content or changes keys. A new console route fails here until it is reviewed.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class ConsoleRoutesOnlyLowerTrustTests(CenterWorld world)
{
    private const string Page = "page: needs the admin session, reads metadata only";
    private const string Action = "state-changing: admin session, same Origin and the CSRF token";
    private const string SignIn = "sign-in: no session yet; the credential is the check, a POST needs the console's own Origin";
    private const string Asset = "static asset: fixed bytes compiled into the relay";
    private const string Draft = "offline signing: admin session, same Origin and the CSRF token; answers an unsigned document and changes nothing";

    /// <summary>Method and route → what guards it and why it cannot raise trust.</summary>
    private static readonly Dictionary<string, string> Reviewed = new(StringComparer.Ordinal)
    {
        ["GET /console"] = Page,
        ["POST /console/actions/{name}"] = Action,
        ["POST /console/drafts/policy"] = Draft,
        ["POST /console/drafts/action"] = Draft,
        ["POST /console/drafts/download"] = Draft,
        ["POST /console/logout"] = Action,
        ["GET /console/login"] = SignIn,
        ["POST /console/login"] = SignIn,
        ["GET /console/static/console.css"] = Asset,
        ["GET /console/static/icon.svg"] = Asset,
    };

    /// <summary>
    /// The console's actions, each reviewed: disabling an account only lowers trust; recording a signed document stores only
    /// what the organisation key signed (a policy, restrict, lift or revoke: the admin API's own checks), never a device.
    /// </summary>
    private static readonly string[] ReviewedActions = ["disable-account", "record-signed"];

    [Fact]
    public void Every_console_route_is_reviewed_and_none_adds_devices_reads_content_or_changes_keys()
    {
        var routes = ConsoleRoutesServed();

        Assert.Equal(Reviewed.Keys.Order(StringComparer.Ordinal), routes.Order(StringComparer.Ordinal));
        Assert.Equal(ReviewedActions, ConsoleActions.All.Keys.Order(StringComparer.Ordinal));
        foreach (var route in routes.Concat(ConsoleActions.All.Keys.Select(a => "POST /console/actions/" + a)))
        {
            var lower = route.ToLowerInvariant();
            foreach (var word in new[] { "message", "mailbox", "attachment", "export", "prekey", "key", "contact", "device", "log/", "enrol", "link" })
                Assert.False(lower.Replace("/login", "", StringComparison.Ordinal).Replace("/logout", "", StringComparison.Ordinal).Contains(word, StringComparison.Ordinal), $"{route} mentions {word}");
        }
    }

    [Fact]
    public async Task Every_page_and_action_refuses_a_request_without_the_admin_session()
    {
        using var console = new ConsoleClient(world.Relay.AdminUrl);
        var before = await SnapshotAsync();

        foreach (var (method, path) in Concrete(Page, Action, Draft))
        {
            using var response = method == "GET"
                ? await console.GetAsync(path)
                : await console.PostAsync(path, new Dictionary<string, string> { ["csrf"] = "guessed", ["account"] = world.Bob.Account, ["confirmed"] = "yes" });
            var body = await response.Content.ReadAsStringAsync();

            if (method == "GET")
            {
                Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
                Assert.Equal(ConsoleRoutes.Login, response.Headers.Location?.ToString());
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            Assert.DoesNotContain(world.Bob.Account, body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task No_get_changes_anything_and_every_session_post_needs_the_csrf_token()
    {
        using var console = new ConsoleClient(world.Relay.AdminUrl);
        await console.SignInAsync(TestRelay.AdminCredential);
        var csrf = await console.CsrfTokenAsync();
        var before = await SnapshotAsync();

        foreach (var (_, path) in Concrete(Page, SignIn, Asset).Where(r => r.Method == "GET"))
        {
            for (var i = 0; i < 2; i++)
            {
                using var response = await console.GetAsync(path + "?account=" + world.Bob.Account + "&confirmed=yes&csrf=" + csrf);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
            }
        }

        Assert.Equal(before, await SnapshotAsync());
        foreach (var (_, path) in Concrete(Action, Draft))
        {
            var form = new Dictionary<string, string> { ["account"] = world.Bob.Account, ["confirmed"] = "yes" };
            using var missing = await console.PostAsync(path, form);
            using var wrong = await console.PostAsync(path, new Dictionary<string, string>(form) { ["csrf"] = csrf[..^1] + (csrf[^1] == 'A' ? 'B' : 'A') });
            Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        Assert.Equal(before, await SnapshotAsync());
        using var stillSignedIn = await console.GetAsync(ConsoleRoutes.Home);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode); // the logout without a token did not end the session
    }

    [Fact]
    public async Task Every_draft_route_with_the_session_and_token_answers_a_document_and_changes_nothing()
    {
        _ = world.Organisation; // drafts need the organisation key
        using var console = new ConsoleClient(world.Relay.AdminUrl);
        await console.SignInAsync(TestRelay.AdminCredential);
        var csrf = await console.CsrfTokenAsync();
        var before = await SnapshotAsync();
        var device = (await world.Relay.Store.GetAccountAsync(world.Bob.Account))!.Devices[0].Device;
        var form = new Dictionary<string, string>
        {
            ["csrf"] = csrf,
            ["min-client"] = "9.9.9",
            ["reason"] = "enumeration",
            ["kind"] = "revoke",
            ["account"] = world.Bob.Account,
            ["device"] = device,
            ["confirmed"] = "yes",
        };
        string? document = null;

        foreach (var (_, path) in Concrete(Draft).OrderBy(r => r.Path == ConsoleRoutes.Download))
        {
            using var response = await console.PostAsync(path, path == ConsoleRoutes.Download ? new Dictionary<string, string> { ["csrf"] = csrf, ["document"] = document! } : form);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode}");
            Assert.Contains("-----BEGIN ENIGM UNSIGNED ORG", body, StringComparison.Ordinal);
            if (path == ConsoleRoutes.ActionDraft)
                document = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(body, "<textarea id=\"unsigned\"[^>]*>([^<]*)</textarea>").Groups[1].Value);
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.False((await world.Relay.Store.GetAccountAsync(world.Bob.Account))!.Devices[0].Revoked);
    }

    [Fact]
    public async Task A_sign_in_post_from_another_origin_or_without_one_is_refused()
    {
        using var console = new ConsoleClient(world.Relay.AdminUrl);
        var credential = new Dictionary<string, string> { ["credential"] = TestRelay.AdminCredential };

        using var foreign = await console.PostAsync(ConsoleRoutes.Login, credential, "http://evil.example");
        using var none = await console.PostAsync(ConsoleRoutes.Login, credential, origin: null);

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.False(foreign.Headers.Contains("Set-Cookie"));
        Assert.False(none.Headers.Contains("Set-Cookie"));
    }

    /// <summary>The console's routes as "METHOD pattern", from the same AdminConsole.Map the relay's admin listener calls.</summary>
    private static List<string> ConsoleRoutesServed()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        // Map reads only the clock and the admin URLs here; no handler runs.
        var state = new RelayState(new RelayServerOptions { Store = null!, DataDirectory = Path.GetTempPath() }, null!);
        AdminConsole.Map(app, state, RandomNumberGenerator.GetBytes(32));
        return
        [
            .. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}")),
        ];
    }

    /// <summary>The enumerated routes of the given kinds as requests: a route parameter becomes every reviewed action and an unknown one.</summary>
    private static IEnumerable<(string Method, string Path)> Concrete(params string[] kinds)
    {
        foreach (var route in ConsoleRoutesServed().Where(r => kinds.Contains(Reviewed[r])))
        {
            var (method, pattern) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            if (!pattern.Contains('{', StringComparison.Ordinal))
            {
                yield return (method, pattern);
                continue;
            }

            foreach (var name in ReviewedActions.Append("add-device")) yield return (method, pattern.Replace("{name}", name, StringComparison.Ordinal));
        }
    }

    /// <summary>What a console route must not change: accounts, their device logs and devices, the organisation's key, policy and audit head.</summary>
    private async Task<string> SnapshotAsync()
    {
        var store = world.Relay.Store;
        var accounts = await store.ListAccountsAsync(10_000, null);
        var head = await store.Policy.GetAuditHeadAsync();
        var key = await store.Policy.GetOrganisationKeyAsync();
        var policy = await store.Policy.GetPolicyAsync();
        return string.Join('\n', accounts.Select(a =>
                $"{a.Account} disabled={a.Disabled} log={Convert.ToHexStringLower(SHA256.HashData(a.DeviceLog))} devices={string.Join(',', a.Devices.Select(d => d.Device + (d.Revoked ? "-" : "+")))}"))
            + $"\nhead={head?.Sequence} key={(key is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(key)))} policy={policy?.Version}";
    }
}
