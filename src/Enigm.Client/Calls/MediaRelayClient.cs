using System.Net.Http.Headers;
using System.Text.Json;
using Enigm.Client.Errors;
using Enigm.Client.Relay;
using Enigm.Relay;

namespace Enigm.Client.Calls;

/// <summary>
/// The media relay's routes from the client side (<see cref="CallRoutes"/>): create or update a call room, end it, and
/// open a participant's media socket (<see cref="MediaSocketConnection"/>). Tokens come from the device's
/// <see cref="RelayClient"/> (the same signed challenge); errors are the same typed <see cref="RelayException"/> family.
/// </summary>
internal sealed class MediaRelayClient(RelayClient relay, HttpMessageHandler? handler, TimeSpan requestTimeout) : IDisposable
{
    private readonly HttpClient _http = CreateHttp(relay.BaseAddress, handler, requestTimeout);

    public async Task<CallRoomResponse> PutRoomAsync(string call, IReadOnlyList<CallRoomParticipant> participants, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, CallRoutes.RoomPath(call))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new CallRoomRequest([.. participants]), CallJson.Default.CallRoomRequest)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await SendAsync(request, ct);
        return await RelayHttp.ReadJsonAsync(response.Content, CallJson.Default.CallRoomResponse, CallLimits.MaxRoomRequestBytes * 2, ct);
    }

    public async Task EndRoomAsync(string call, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, CallRoutes.RoomPath(call));
        using var response = await SendAsync(request, ct);
    }

    public async Task<MediaSocketConnection> ConnectAsync(string call, CancellationToken ct) =>
        await MediaSocketConnection.ConnectAsync(relay.BaseAddress, call, await relay.TokenAsync(ct), handler, ct);

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await relay.TokenAsync(ct));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new RelayUnavailableException($"The relay at {_http.BaseAddress} cannot be reached: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RelayUnavailableException($"The relay at {_http.BaseAddress} did not answer in time.", inner: e);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response) throw await RelayErrors.FromResponseAsync(response, ct);
    }

    private static HttpClient CreateHttp(Uri server, HttpMessageHandler? handler, TimeSpan timeout)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = server;
        http.Timeout = timeout;
        return http;
    }
}
