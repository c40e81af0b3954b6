using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;
using Enigm.Client.Errors;
using Enigm.Client.Relay;

namespace Enigm.Client.Posture;

/// <summary>
/// The device side of the relay's policy routes (docs/policy.md, "Relay API"): CBOR bodies for signed objects, JSON for
/// the relay's own views, the device's bearer token from <see cref="RelayClient"/> and its typed errors.
/// </summary>
internal sealed class PolicyRelay(RelayClient relay, HttpMessageHandler? handler, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = CreateClient(relay.BaseAddress, handler, timeout);

    /// <summary>The body, or null when the relay answers 404 with <paramref name="absentCode"/>.</summary>
    public async Task<byte[]?> GetBytesAsync(string route, string absentCode, int maxBytes, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, route, null, ct);
        if (response.IsSuccessStatusCode) return await RelayHttp.ReadBoundedAsync(response.Content, maxBytes, ct);
        var error = await RelayErrors.FromResponseAsync(response, ct);
        if (error.ProblemCode is { } code && code == absentCode) return null; // a policy problem code maps to RelayRejectedException
        throw error;
    }

    public async Task<T> GetJsonAsync<T>(string route, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, route, null, ct);
        if (!response.IsSuccessStatusCode) throw await RelayErrors.FromResponseAsync(response, ct);
        return await RelayHttp.ReadJsonAsync(response.Content, type, RelayClient.MaxJsonResponseBytes, ct);
    }

    /// <summary>The JSON body, or null when the relay answers 404 with <paramref name="absentCode"/>.</summary>
    public async Task<T?> TryGetJsonAsync<T>(string route, string absentCode, JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, route, null, ct);
        if (response.IsSuccessStatusCode) return await RelayHttp.ReadJsonAsync(response.Content, type, RelayClient.MaxJsonResponseBytes, ct);
        var error = await RelayErrors.FromResponseAsync(response, ct);
        if (error.ProblemCode is { } code && code == absentCode) return null; // a policy problem code maps to RelayRejectedException
        throw error;
    }

    public async Task<T> PutBytesAsync<T>(string route, byte[] body, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, route, body, ct);
        if (!response.IsSuccessStatusCode) throw await RelayErrors.FromResponseAsync(response, ct);
        return await RelayHttp.ReadJsonAsync(response.Content, type, RelayClient.MaxJsonResponseBytes, ct);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string route, byte[]? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, route);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await relay.TokenAsync(ct));
        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new RelayUnavailableException($"The relay at {_http.BaseAddress} cannot be reached: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RelayUnavailableException($"The relay at {_http.BaseAddress} did not answer in time.", inner: e);
        }
    }

    private static HttpClient CreateClient(Uri server, HttpMessageHandler? handler, TimeSpan timeout)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.BaseAddress = server;
        client.Timeout = timeout;
        return client;
    }
}
