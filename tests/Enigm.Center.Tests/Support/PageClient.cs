using System.Net;
using System.Text.RegularExpressions;

namespace Enigm.Center.Tests.Support;

/// <summary>
/// A plain HTTP client of a page (no browser): sends exactly the Host, Origin, Cookie and form fields a test sets,
/// so the refusals can be checked one by one.
/// </summary>
public sealed partial class PageClient : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    public PageClient(Uri baseUrl) => BaseUrl = baseUrl;

    public Uri BaseUrl { get; }

    public string Origin => $"http://127.0.0.1:{BaseUrl.Port}";

    /// <summary>The Cookie header of the session, once <see cref="SignInAsync"/> ran.</summary>
    public string? Cookie { get; set; }

    /// <summary>Exchanges the one-time link for the session cookie; returns the Set-Cookie header.</summary>
    public async Task<string> SignInAsync(Uri openUrl)
    {
        using var response = await _http.GetAsync(openUrl);
        if (response.StatusCode != HttpStatusCode.SeeOther) throw new InvalidOperationException($"/open answered {(int)response.StatusCode}");
        var setCookie = response.Headers.GetValues("Set-Cookie").Single();
        Cookie = setCookie.Split(';')[0];
        return setCookie;
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? host = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, path));
        Prepare(request, host, origin);
        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string> form, string? origin = "own", string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, path)) { Content = new FormUrlEncodedContent(form) };
        Prepare(request, host, origin == "own" ? Origin : origin);
        return await _http.SendAsync(request);
    }

    /// <summary>The CSRF token the overview's forms carry.</summary>
    public async Task<string> CsrfTokenAsync()
    {
        using var response = await GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        return CsrfField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no CSRF field on the overview");
    }

    private void Prepare(HttpRequestMessage request, string? host, string? origin)
    {
        if (host is not null) request.Headers.Host = host;
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (Cookie is not null) request.Headers.Add("Cookie", Cookie);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
