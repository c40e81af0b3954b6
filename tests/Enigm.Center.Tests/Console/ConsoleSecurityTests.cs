using System.Net;
using Enigm.Center.Tests.Support;
using Enigm.Server.Console;

namespace Enigm.Center.Tests.Console;

/// <summary>The organisation console's security frame on the admin listener: sign-in, session cookie, Host, Origin, CSRF, headers.</summary>
[Collection(CenterCollection.Name)]
public sealed class ConsoleSecurityTests(CenterWorld world)
{
    [Fact]
    public async Task The_console_sends_a_visitor_without_a_session_to_the_sign_in_page()
    {
        using var console = new ConsoleClient(world.Relay.AdminUrl);

        using var page = await console.GetAsync("/console");

        Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
        Assert.Equal("/console/login", page.Headers.Location?.ToString());
        Assert.DoesNotContain("csrf", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_credential_is_refused_and_the_right_one_gives_a_strict_session_cookie()
    {
        using var console = new ConsoleClient(world.Relay.AdminUrl);

        using var wrong = await console.SignInAsync("not the credential");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Null(console.Cookie);
        using var right = await console.SignInAsync(TestRelay.AdminCredential);

        var cookie = right.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith(ConsoleSessions.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var page = await console.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(ConsoleGuard.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Console_requests_with_a_foreign_host_or_origin_or_without_the_csrf_token_are_refused()
    {
        var victim = await world.Devices.CreateAsync("victim-" + Guid.NewGuid().ToString("N")[..6], world.Relay.Url);
        using var _ = victim;
        using var console = new ConsoleClient(world.Relay.AdminUrl);
        await console.SignInAsync(TestRelay.AdminCredential);
        var csrf = await console.CsrfTokenAsync();
        var fields = new Dictionary<string, string> { ["account"] = victim.Account, ["confirmed"] = "yes" };

        using var wrongHost = await console.GetAsync("/console", host: "evil.example:" + world.Relay.AdminUrl.Port);
        using var foreignRead = await console.GetAsync("/console", origin: "http://evil.example");
        using var foreignLogin = await console.PostAsync("/console/login", new Dictionary<string, string> { ["credential"] = TestRelay.AdminCredential }, "http://evil.example");
        using var noCsrf = await console.PostAsync("/console/actions/disable-account", fields);
        using var wrongCsrf = await console.PostAsync("/console/actions/disable-account", new Dictionary<string, string>(fields) { ["csrf"] = csrf + "x" });
        using var noOrigin = await console.PostAsync("/console/actions/disable-account", new Dictionary<string, string>(fields) { ["csrf"] = csrf }, origin: null);

        Assert.Equal(HttpStatusCode.BadRequest, wrongHost.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignLogin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noCsrf.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongCsrf.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
        Assert.False((await world.Relay.Store.GetAccountAsync(victim.Account))!.Disabled);

        using var confirmed = await console.PostAsync("/console/actions/disable-account", new Dictionary<string, string>(fields) { ["csrf"] = csrf });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.True((await world.Relay.Store.GetAccountAsync(victim.Account))!.Disabled);
    }
}
