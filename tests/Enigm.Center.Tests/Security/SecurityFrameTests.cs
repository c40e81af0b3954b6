using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Enigm.Center.Security;
using Enigm.Center.Tests.Support;
using Enigm.Trust.States;

namespace Enigm.Center.Tests.Security;

/// <summary>
/// The page's security frame over plain HTTP (docs/trust-center.md, "Security frame"): the one-time token, the
/// session cookie bound to the home, Host and Origin checks, the CSRF token, the headers, loopback only.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed partial class SecurityFrameTests(CenterWorld world)
{
    private static async Task<string> Text(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    [Fact]
    public async Task A_page_request_without_the_session_cookie_is_refused()
    {
        await using var center = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);

        using var response = await page.GetAsync("/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var html = await Text(response);
        Assert.DoesNotContain("bob", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"csrf\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_does_not_use_up_the_right_one()
    {
        await using var center = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);

        using var wrong = await page.GetAsync("/open?token=" + new string('A', 43));
        using var none = await page.GetAsync("/open");

        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        await page.SignInAsync(center.OpenUrl);
        using var overview = await page.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
    }

    [Fact]
    public async Task The_token_in_the_url_works_once()
    {
        await using var center = await world.StartCenterAsync();
        using var first = new PageClient(center.BaseUrl);
        using var second = new PageClient(center.BaseUrl);
        await first.SignInAsync(center.OpenUrl);

        using var again = await second.GetAsync(center.OpenUrl.PathAndQuery);

        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.False(again.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_SameSite_Strict_and_named_after_the_home()
    {
        await using var center = await world.StartCenterAsync();
        await using var otherHome = await CenterHost.StartAsync(world.Alice, new CenterOptions { Home = world.Devices.Home("elsewhere") });
        using var page = new PageClient(center.BaseUrl);

        var setCookie = await page.SignInAsync(center.OpenUrl);

        Assert.StartsWith(center.CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(center.CookieName, otherHome.CookieName);
    }

    [Fact]
    public async Task A_session_of_another_page_is_refused()
    {
        await using var center = await world.StartCenterAsync();
        await using var other = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);
        await page.SignInAsync(center.OpenUrl);
        using var intruder = new PageClient(other.BaseUrl) { Cookie = page.Cookie };

        using var response = await intruder.GetAsync("/");

        Assert.Equal(center.CookieName, other.CookieName);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1")]
    [InlineData("192.168.1.10")]
    public async Task A_request_whose_host_is_not_this_loopback_listener_is_refused(string host)
    {
        await using var center = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);
        await page.SignInAsync(center.OpenUrl);

        using var wrongName = await page.GetAsync("/", host: $"{host}:{center.Port}");
        using var wrongPort = await page.GetAsync("/", host: $"{host}:{center.Port + 1}");
        using var stranger = new PageClient(center.BaseUrl);
        using var token = await stranger.GetAsync("/open?token=x", host: $"{host}:{center.Port + 1}");

        if (host != "127.0.0.1") Assert.Equal(HttpStatusCode.BadRequest, wrongName.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongPort.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:1")]
    public async Task A_request_from_a_foreign_origin_is_refused(string origin)
    {
        await using var center = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);
        await page.SignInAsync(center.OpenUrl);
        var csrf = await page.CsrfTokenAsync();

        using var read = await page.GetAsync("/", origin: origin);
        using var write = await page.PostAsync("/actions/rotate-prekeys", new Dictionary<string, string> { ["csrf"] = csrf }, origin);
        using var noOrigin = await page.PostAsync("/actions/rotate-prekeys", new Dictionary<string, string> { ["csrf"] = csrf }, origin: null);

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noOrigin.StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_right_csrf_token_is_refused_and_changes_nothing()
    {
        await using var center = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);
        await page.SignInAsync(center.OpenUrl);
        var number = world.Alice.SafetyNumber("dave").Digits;
        var fields = new Dictionary<string, string> { ["contact"] = "dave", ["number"] = number, ["confirmed"] = "yes" };

        using var missing = await page.PostAsync("/actions/verify-contact", fields);
        using var wrong = await page.PostAsync("/actions/verify-contact", new Dictionary<string, string>(fields) { ["csrf"] = new string('A', 43) });

        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(TrustState.Unverified, world.Alice.Contact("dave").State);
    }

    [Fact]
    public async Task The_confirmation_step_changes_nothing_and_the_confirmed_post_does()
    {
        await using var center = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);
        await page.SignInAsync(center.OpenUrl);
        var csrf = await page.CsrfTokenAsync();
        var wrongNumber = new string('1', 60);

        using var confirm = await page.PostAsync("/actions/verify-contact", new Dictionary<string, string> { ["csrf"] = csrf, ["contact"] = "dave", ["number"] = wrongNumber });
        var confirmHtml = await Text(confirm);
        using var refused = await page.PostAsync("/actions/verify-contact", new Dictionary<string, string> { ["csrf"] = csrf, ["contact"] = "dave", ["number"] = wrongNumber, ["confirmed"] = "yes" });

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("name=\"confirmed\" value=\"yes\"", confirmHtml, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Contains("safety-number-mismatch", await Text(refused), StringComparison.Ordinal);
        Assert.Equal(TrustState.Unverified, world.Alice.Contact("dave").State);
    }

    [Fact]
    public async Task Every_response_carries_the_strict_headers_and_pages_load_nothing_external_or_inline()
    {
        await using var center = await world.StartCenterAsync();
        using var page = new PageClient(center.BaseUrl);
        using var refused = await page.GetAsync("/");
        await page.SignInAsync(center.OpenUrl);
        using var overview = await page.GetAsync("/");
        using var contact = await page.GetAsync("/contacts/bob");
        using var script = await page.GetAsync("/static/center.js");

        foreach (var response in new[] { refused, overview, contact, script })
        {
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("default-src 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }

        foreach (var html in new[] { await Text(overview), await Text(contact) })
        {
            Assert.DoesNotMatch(InlineScript(), html);
            Assert.DoesNotMatch(ExternalResource(), html);
            Assert.Contains("<label for=", html, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task The_page_listens_on_loopback_only()
    {
        await using var center = await world.StartCenterAsync();
        Assert.Equal("127.0.0.1", center.BaseUrl.Host);
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Skip.If(address is null, "this machine has no non-loopback IPv4 address to try");

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(address!, center.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=\"/static/)", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("(src|href|action)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalResource();
}
