using System.Net;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// Reads a repository over HTTP(S). Responses are streamed (never buffered whole) and cut off one
/// byte past the caller's limit, so a server that never stops sending ends in
/// <see cref="LengthExceededException"/>. A 404 means "no such file" (the end of the root chain).
/// </summary>
public sealed class HttpFetcher : IRepositoryFetcher, IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _base;

    /// <param name="baseUrl">The repository root, e.g. <c>https://updates.example/repo/</c>.</param>
    /// <param name="timeout">Time allowed for the response headers of one request (default 30 s).</param>
    public HttpFetcher(Uri baseUrl, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (baseUrl.Scheme is not ("http" or "https")) throw new RepositoryException($"{baseUrl} is not an http(s) URL.");
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
    }

    public string Location => _base.AbsoluteUri;

    public Stream? Open(string path, long maxLength)
    {
        var relative = string.Join('/', RepositoryPaths.Segments(path).Select(Uri.EscapeDataString));
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, relative));
        HttpResponseMessage response;
        try
        {
            // Headers only: the body is streamed through the length limit.
            response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw new RepositoryException($"GET {request.RequestUri} failed: {e.Message}", e);
        }
        finally
        {
            request.Dispose();
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new RepositoryException($"GET {path} from {Location}: HTTP {status}.");
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > maxLength)
        {
            response.Dispose();
            throw new LengthExceededException(path, maxLength);
        }

        try
        {
            return new LengthLimitedStream(response.Content.ReadAsStream(), path, maxLength, response);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            response.Dispose();
            throw new RepositoryException($"GET {path} from {Location}: {e.Message}", e);
        }
    }

    public void Dispose() => _client.Dispose();
}
