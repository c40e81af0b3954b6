using System.Net.WebSockets;
using Enigm.Client.Errors;

namespace Enigm.Client.Relay;

/// <summary>
/// Opening and closing the relay's WebSockets (the delivery stream and a call's media socket): bearer token in the
/// upgrade request, ws/wss after the server's scheme, an optional handler for tests' and proxies' transports.
/// </summary>
internal static class RelayWebSocket
{
    /// <summary>Connects to <paramref name="path"/> on <paramref name="server"/>; a refused upgrade is <see cref="RelayUnavailableException"/> prefixed with <paramref name="unavailable"/>.</summary>
    public static async Task<(ClientWebSocket Socket, HttpMessageInvoker? Invoker)> ConnectAsync(
        Uri server, string path, string token, HttpMessageHandler? handler, string unavailable, CancellationToken ct)
    {
        var builder = new UriBuilder(new Uri(server, path)) { Scheme = server.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        var invoker = handler is null ? null : new HttpMessageInvoker(handler, disposeHandler: false);
        try
        {
            if (invoker is null) await socket.ConnectAsync(builder.Uri, ct);
            else await socket.ConnectAsync(builder.Uri, invoker, ct);
            return (socket, invoker);
        }
        catch (WebSocketException e)
        {
            socket.Dispose();
            invoker?.Dispose();
            throw new RelayUnavailableException($"{unavailable}: {e.Message}", inner: e);
        }
    }

    /// <summary>Best-effort normal close (two seconds at most), then disposes the socket and its invoker.</summary>
    public static async ValueTask CloseAsync(ClientWebSocket socket, HttpMessageInvoker? invoker, string description)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, description, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Closing is best effort.
        }

        socket.Dispose();
        invoker?.Dispose();
    }
}
