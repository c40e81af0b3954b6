using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Enigm.Client.Errors;
using Enigm.Relay;

namespace Enigm.Client.Relay;

/// <summary>
/// The relay's HTTP contract (Enigm.Relay.RelayRoutes) from the client side: JSON bodies through the shared
/// source-generated <see cref="RelayJson"/>, every error mapped to a typed <see cref="RelayException"/> by its stable
/// problem code, bounded response reads, bearer tokens obtained by signing the relay's challenge with the device key
/// (RelayAuth) and refreshed before they expire or when the relay stops accepting one. Attachments stream both ways
/// with progress; the mailbox stream is <see cref="MailboxStreamConnection"/>.
/// </summary>
internal sealed class RelayClient : IDisposable
{
    /// <summary>Largest JSON response read (a device log of RelayLimits.MaxDeviceLogBytes in base64, or a full mailbox page).</summary>
    public const int MaxJsonResponseBytes = RelayLimits.MaxRequestBytes * 2;

    private static readonly TimeSpan TokenMargin = TimeSpan.FromMinutes(1);
    private readonly HttpClient _http;
    private readonly HttpClient _transfers;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private RelayCredentials? _credentials;
    private (string Token, DateTimeOffset ExpiresAt)? _token;

    public RelayClient(Uri server, HttpMessageHandler? handler, TimeSpan requestTimeout, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(server);
        BaseAddress = server;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = server;
        _http.Timeout = requestTimeout;
        _transfers = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _transfers.BaseAddress = server;
        _transfers.Timeout = Timeout.InfiniteTimeSpan;
    }

    public Uri BaseAddress { get; }

    public RelayCredentials? Credentials
    {
        get => _credentials;
        set
        {
            _credentials = value;
            _token = null;
        }
    }

    // --- transparency (no auth) -----------------------------------------------------------------------------

    public Task<TreeHeadResponse> TreeHeadAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, RelayRoutes.TreeHead, null, RelayJson.Default.TreeHeadResponse, auth: false, ct);

    public Task<ConsistencyResponse> ConsistencyAsync(long from, long to, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"{RelayRoutes.Consistency}?from={from.ToString(CultureInfo.InvariantCulture)}&to={to.ToString(CultureInfo.InvariantCulture)}", null, RelayJson.Default.ConsistencyResponse, auth: false, ct);

    // --- directory ------------------------------------------------------------------------------------------

    public Task<DeviceLogResponse> CreateAccountAsync(byte[] deviceLog, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, RelayRoutes.Accounts, Json(new CreateAccountRequest(deviceLog), RelayJson.Default.CreateAccountRequest), RelayJson.Default.DeviceLogResponse, auth: false, ct);

    public Task<DeviceLogResponse> DeviceLogAsync(string account, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, Route(RelayRoutes.AccountLog, ("account", account)), null, RelayJson.Default.DeviceLogResponse, auth: true, ct);

    public Task<DeviceLogResponse> AppendDeviceLogAsync(string account, byte[] deviceLog, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Route(RelayRoutes.AccountLog, ("account", account)), Json(new AppendLogRequest(deviceLog), RelayJson.Default.AppendLogRequest), RelayJson.Default.DeviceLogResponse, auth: true, ct);

    // --- prekeys --------------------------------------------------------------------------------------------

    public Task<PrekeyCountResponse> UploadPrekeysAsync(UploadPrekeysRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, RelayRoutes.Prekeys, Json(request, RelayJson.Default.UploadPrekeysRequest), RelayJson.Default.PrekeyCountResponse, auth: true, ct);

    public Task<PrekeyCountResponse> PrekeyCountAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, RelayRoutes.Prekeys, null, RelayJson.Default.PrekeyCountResponse, auth: true, ct);

    public Task<BundleResponse> BundleAsync(string account, string device, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, Route(RelayRoutes.Bundle, ("account", account), ("device", device)), null, RelayJson.Default.BundleResponse, auth: true, ct);

    // --- messages -------------------------------------------------------------------------------------------

    /// <summary>
    /// Submits one message per recipient device. With <paramref name="deliveryToken"/> the submit is sealed sender: no
    /// bearer token, only the recipient's token in <see cref="RelayRoutes.UnidentifiedAccessHeader"/>.
    /// </summary>
    public Task<SubmitResponse> SubmitAsync(SubmitRequest request, byte[]? deliveryToken, CancellationToken ct)
    {
        var body = Json(request, RelayJson.Default.SubmitRequest);
        if (deliveryToken is null) return SendAsync(HttpMethod.Post, RelayRoutes.Messages, body, RelayJson.Default.SubmitResponse, auth: true, ct);
        return SendAsync(HttpMethod.Post, RelayRoutes.Messages, body, RelayJson.Default.SubmitResponse, auth: false, ct,
            headers: [(RelayRoutes.UnidentifiedAccessHeader, Base64Url(deliveryToken))]);
    }

    /// <summary>
    /// Submits one shared ciphertext for many devices (stored once by the relay). Without <see cref="MultiRecipientSubmitRequest.Access"/>
    /// the device's bearer token authorises it; with it (a delivery token per recipient account) it is sealed sender and
    /// no bearer token is sent. A 409 is a <see cref="DevicesMismatchException"/> naming devices as <c>account/device</c>.
    /// </summary>
    public Task<SubmitResponse> SubmitMultiRecipientAsync(MultiRecipientSubmitRequest request, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, RelayRoutes.MultiRecipientMessages, Json(request, RelayJson.Default.MultiRecipientSubmitRequest), RelayJson.Default.SubmitResponse,
            auth: request.Access is null, ct);

    public Task<MailboxResponse> MailboxAsync(int limit, long after, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"{RelayRoutes.Mailbox}?limit={limit.ToString(CultureInfo.InvariantCulture)}&after={after.ToString(CultureInfo.InvariantCulture)}", null, RelayJson.Default.MailboxResponse, auth: true, ct);

    public Task AckAsync(IReadOnlyList<long> seqs, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, RelayRoutes.MailboxAck, Json(new AckRequest([.. seqs]), RelayJson.Default.AckRequest), null, auth: true, ct);

    public Task SetDeliveryTokenAsync(byte[] token, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, RelayRoutes.DeliveryToken, Json(new DeliveryTokenRequest(token), RelayJson.Default.DeliveryTokenRequest), null, auth: true, ct);

    // --- rendezvous (no auth) -------------------------------------------------------------------------------

    public Task<RendezvousPostResponse> RendezvousPostAsync(string channel, byte[] payload, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, Route(RelayRoutes.Rendezvous, ("channel", channel)), Json(new RendezvousPost(payload), RelayJson.Default.RendezvousPost), RelayJson.Default.RendezvousPostResponse, auth: false, ct);

    public Task<RendezvousMessages> RendezvousReadAsync(string channel, long after, int waitSeconds, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"{Route(RelayRoutes.Rendezvous, ("channel", channel))}?after={after.ToString(CultureInfo.InvariantCulture)}&wait={waitSeconds.ToString(CultureInfo.InvariantCulture)}",
            null, RelayJson.Default.RendezvousMessages, auth: false, ct, longPoll: true);

    // --- attachments ----------------------------------------------------------------------------------------

    /// <summary>Streams <paramref name="ciphertext"/> (of <paramref name="length"/> bytes) to the relay under <paramref name="id"/>.</summary>
    public async Task PutAttachmentAsync(string id, Stream ciphertext, long length, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var route = Route(RelayRoutes.Attachment, ("id", id));
        using var progressStream = new ProgressStream(ciphertext, length, progress, leaveOpen: true);
        using var content = new StreamContent(progressStream, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = length;
        using var request = new HttpRequestMessage(HttpMethod.Put, route) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(ct));
        using var response = await SendRawAsync(_transfers, request, ct);
        if (!response.IsSuccessStatusCode) throw await RelayErrors.FromResponseAsync(response, ct);
        progressStream.Complete();
    }

    /// <summary>Streams the attachment <paramref name="id"/> into <paramref name="destination"/>, refusing more than <paramref name="maxLength"/> bytes.</summary>
    public async Task GetAttachmentAsync(string id, Stream destination, long maxLength, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Route(RelayRoutes.Attachment, ("id", id)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(ct));
        using var response = await SendRawAsync(_transfers, request, ct, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) throw await RelayErrors.FromResponseAsync(response, ct);
        var length = response.Content.Headers.ContentLength ?? maxLength;
        if (length > maxLength) throw new RelayUnavailableException($"The relay offers {length} bytes for an attachment of at most {maxLength}.");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var counted = new ProgressStream(destination, length, progress, leaveOpen: true);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (counted.Moved + read > maxLength) throw new RelayUnavailableException($"The relay sent more than the {maxLength} bytes the attachment has.");
            await counted.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        counted.Complete();
    }

    // --- tokens ---------------------------------------------------------------------------------------------

    /// <summary>A valid bearer token, from cache or from a fresh challenge signed with the device key.</summary>
    public async Task<string> TokenAsync(CancellationToken ct, bool forceRefresh = false)
    {
        var credentials = _credentials ?? throw new InvalidOperationException("The relay client has no device credentials yet.");
        await _tokenGate.WaitAsync(ct);
        try
        {
            if (!forceRefresh && _token is { } cached && cached.ExpiresAt - TokenMargin > _time.GetUtcNow()) return cached.Token;
            var challenge = await SendAsync(HttpMethod.Post, RelayRoutes.Challenge,
                Json(new ChallengeRequest(credentials.Account, credentials.Device), RelayJson.Default.ChallengeRequest), RelayJson.Default.ChallengeResponse, auth: false, ct);
            var signature = credentials.Sign(RelayAuth.SignedMessage(credentials.ServerId, credentials.Account, credentials.Device, challenge.Challenge));
            var token = await SendAsync(HttpMethod.Post, RelayRoutes.Token,
                Json(new TokenRequest(credentials.Account, credentials.Device, challenge.Challenge, signature), RelayJson.Default.TokenRequest), RelayJson.Default.TokenResponse, auth: false, ct);
            _token = (token.Token, token.ExpiresAt);
            return token.Token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _transfers.Dispose();
        _tokenGate.Dispose();
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Route(string template, params (string Name, string Value)[] values)
    {
        foreach (var (name, value) in values) template = template.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        return template;
    }

    private static ByteArrayContent Json<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string route, HttpContent? body, JsonTypeInfo<T> responseType, bool auth, CancellationToken ct,
        (string Name, string Value)[]? headers = null, bool longPoll = false) =>
        (await SendCoreAsync(method, route, body, responseType, auth, ct, headers, longPoll))!;

    private Task SendAsync(HttpMethod method, string route, HttpContent? body, JsonTypeInfo<object>? none, bool auth, CancellationToken ct) =>
        SendCoreAsync(method, route, body, none, auth, ct, null, false);

    private async Task<T?> SendCoreAsync<T>(HttpMethod method, string route, HttpContent? body, JsonTypeInfo<T>? responseType, bool auth, CancellationToken ct,
        (string Name, string Value)[]? headers, bool longPoll)
    {
        // The body is buffered once so a refused token can be refreshed and the request sent again.
        var bodyBytes = body is null ? null : await body.ReadAsByteArrayAsync(ct);
        var contentType = body?.Headers.ContentType;
        body?.Dispose();
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, route);
            if (bodyBytes is not null)
            {
                request.Content = new ByteArrayContent(bodyBytes);
                request.Content.Headers.ContentType = contentType;
            }

            if (auth) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(ct, forceRefresh: attempt > 0));
            foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
            using var response = await SendRawAsync(longPoll ? _transfers : _http, request, ct);
            if (response.IsSuccessStatusCode)
            {
                return responseType is null ? default : await RelayHttp.ReadJsonAsync(response.Content, responseType, MaxJsonResponseBytes, ct);
            }

            var error = await RelayErrors.FromResponseAsync(response, ct);
            // A token the relay no longer accepts (expired early, relay restarted): get a fresh one, once.
            if (auth && attempt == 0 && error is RelayAuthenticationException { ProblemCode: RelayProblem.Unauthenticated }) continue;
            throw error;
        }
    }

    private static async Task<HttpResponseMessage> SendRawAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await client.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException e)
        {
            throw new RelayUnavailableException($"The relay at {client.BaseAddress} cannot be reached: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RelayUnavailableException($"The relay at {client.BaseAddress} did not answer in time.", inner: e);
        }
    }
}
