using System.Net;
using System.Text.RegularExpressions;

namespace Enigm.Center.Tests.Support;

/// <summary>A plain HTTP client of the organisation console on the relay's admin listener.</summary>
public sealed partial class ConsoleClient(Uri adminUrl) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = adminUrl };

    public string Origin => $"http://{adminUrl.Authority}";

    public string? Cookie { get; set; }

    public async Task<HttpResponseMessage> SignInAsync(string credential)
    {
        var response = await PostAsync("/console/login", new Dictionary<string, string> { ["credential"] = credential });
        if (response.StatusCode == HttpStatusCode.SeeOther) Cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        return response;
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string? host = null, string? origin = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        Prepare(request, host, origin);
        if (bearer is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string> form, string? origin = "own", string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        Prepare(request, host, origin == "own" ? Origin : origin);
        return await _http.SendAsync(request);
    }

    public async Task<string> CsrfTokenAsync()
    {
        using var response = await GetAsync("/console");
        var html = await response.Content.ReadAsStringAsync();
        return CsrfField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no CSRF field on the console ({(int)response.StatusCode})");
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
