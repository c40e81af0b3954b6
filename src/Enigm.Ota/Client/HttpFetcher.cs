using System.Diagnostics;
using System.Net;
using Enigm.Ota.Errors;

namespace Enigm.Ota.Client;

/// <summary>
/// Reads a repository over HTTP(S). Responses are streamed (never buffered whole) and cut off one
/// byte past the caller's limit, so a server that never stops sending ends in
/// <see cref="LengthExceededException"/>; a server that sends too slowly ends in
/// <see cref="SlowRetrievalException"/> (<see cref="TransferLimits"/>). A 404 means "no such file"
/// (the end of the root chain).
/// </summary>
public sealed class HttpFetcher : IRepositoryFetcher, IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _base;

    /// <param name="baseUrl">The repository root, e.g. <c>https://updates.example/repo/</c>.</param>
    /// <param name="limits">Time bounds of each transfer (default <see cref="TransferLimits.Default"/>).</param>
    public HttpFetcher(Uri baseUrl, TransferLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https")) throw new RepositoryException($"{baseUrl} is not an http(s) URL.");
        Limits = (limits ?? TransferLimits.Default).Validated();
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            // The limits are enforced per request below, body included.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Location => _base.AbsoluteUri;

    public TransferLimits Limits { get; }

    public Stream? Open(string path, long maxLength)
    {
        var relative = string.Join('/', RepositoryPaths.Segments(path).Select(Uri.EscapeDataString));
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, relative));
        var started = Stopwatch.GetTimestamp();
        var headersTimeout = Limits.HeadersTimeout < Limits.FileTimeout ? Limits.HeadersTimeout : Limits.FileTimeout;
        HttpResponseMessage response;
        using (var cancel = new CancellationTokenSource(headersTimeout))
        {
            try
            {
                // Headers only: the body is streamed through the length and time limits.
                response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw new SlowRetrievalException(path, 0, Stopwatch.GetElapsedTime(started), $"no response headers within {headersTimeout.TotalSeconds:0.#} s");
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                throw new RepositoryException($"GET {request.RequestUri} failed: {e.Message}", e);
            }
            finally
            {
                request.Dispose();
            }
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
            var body = new TransferDeadlineStream(response.Content.ReadAsStream(), path, Limits, started, response);
            return new LengthLimitedStream(body, path, maxLength);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            response.Dispose();
            throw new RepositoryException($"GET {path} from {Location}: {e.Message}", e);
        }
    }

    public void Dispose() => _client.Dispose();
}
