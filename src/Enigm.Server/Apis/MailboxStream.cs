using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Delivery;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Apis;

/// <summary>
/// The delivery WebSocket (<see cref="RelayRoutes.MailboxStream"/>): sends the backlog then every new message as
/// <see cref="StreamFrame"/> text frames, a drained marker whenever the queue is empty, and applies the client's
/// <see cref="AckRequest"/> frames. Messages are deleted only by an ack. One connection per device across nodes: opening
/// one publishes ConnectionOpened, which closes older ones with 4000 ("replaced"). A connection closes with 4001 ("token
/// expired") when the token it was opened with expires.
/// </summary>
public static class MailboxStream
{
    public const int BatchSize = 100;

    /// <summary>Largest client frame (an ack of <see cref="RelayLimits.MaxMailboxFetch"/> seqs).</summary>
    public const int MaxClientFrameBytes = MailboxApi.MaxAckBodyBytes;

    public static async Task RunAsync(HttpContext context, RelayState state)
    {
        var token = RelayAuthenticator.BearerToken(context) ?? (context.Request.Query["token"] is { Count: 1 } q ? q[0] : null);
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state, token);
        if (!context.WebSockets.IsWebSocketRequest) throw RelayProblemException.Malformed("this route is a WebSocket");

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = state.Connections.Open(caller.Account, caller.Device);
        try
        {
            await state.Store.PublishAsync(new RelaySignal(RelaySignalKind.ConnectionOpened, caller.Account, caller.Device, connection.Id), CancellationToken.None);
            // The token authorised this connection only until it expires: then the socket closes with 4001 and the
            // client reconnects with a fresh token (so a connection never outlives its authorisation).
            using var expiry = new CancellationTokenSource(Clamp(caller.TokenExpiresAt - state.Now), state.Options.Time);
            using var onExpiry = expiry.Token.Register(() => connection.Stop(DeliveryConnections.TokenExpired, "token expired"));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.Stopped, context.RequestAborted);
            // Receiving is not cancelled by a stop: cancelling a receive aborts the socket, and the close status
            // (4000 for a replaced connection) must reach the client. It ends with the close handshake.
            var receiving = ReceiveAcksAsync(socket, connection, state, context.RequestAborted);
            try
            {
                await PumpAsync(socket, connection, state, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped: replaced, revoked, the client closed, or the relay is stopping.
            }
            catch (WebSocketException)
            {
                // The client went away mid-send.
            }

            await CloseAsync(socket, connection);
            try
            {
                await receiving.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                socket.Abort();
            }
        }
        finally
        {
            state.Connections.Remove(connection);
            state.Connections.LogClosed(connection);
        }
    }

    /// <summary>A timer delay in the range CancellationTokenSource accepts (an expired token: at once).</summary>
    private static TimeSpan Clamp(TimeSpan delay) =>
        delay <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : delay > TimeSpan.FromDays(24) ? TimeSpan.FromDays(24) : delay;

    /// <summary>
    /// Sends the backlog (fetched from the store), then each new message as this process hands it over once durable
    /// (<see cref="DeliveryConnection.Offer"/>), fetching again only when told to (a signal from another node, a
    /// multi-recipient submit, too many handed over) or to move the cursor on. Every message the store holds reaches the
    /// device: it is either above the cursor and fetched, or committed after this connection registered and handed over.
    /// </summary>
    private static async Task PumpAsync(WebSocket socket, DeliveryConnection connection, RelayState state, CancellationToken ct)
    {
        var cursor = new DeliveryCursor();
        var spare = new List<MailboxMessage>();
        var mustFetch = true;
        var drainedSent = false;
        while (!ct.IsCancellationRequested)
        {
            if (mustFetch || cursor.NeedsFetch)
            {
                IReadOnlyList<MailboxMessage> batch;
                do
                {
                    batch = await state.Store.FetchAsync(connection.Account, connection.Device, cursor.FetchedThrough, BatchSize, ct);
                    foreach (var message in batch)
                    {
                        if (!cursor.TakeFetched(message)) continue;
                        await SendAsync(socket, new StreamFrame(message, false), ct);
                        drainedSent = false;
                    }

                    cursor.Forget();
                }
                while (batch.Count == BatchSize);
            }

            if (!drainedSent)
            {
                await SendAsync(socket, new StreamFrame(null, true), ct);
                drainedSent = true;
            }

            await connection.WaitForWakeAsync(ct);
            var (handedOver, fetch) = connection.Take(spare);
            foreach (var message in handedOver)
            {
                if (!cursor.TakeHandedOver(message)) continue;
                await SendAsync(socket, new StreamFrame(message, false), ct);
                drainedSent = false;
            }

            handedOver.Clear();
            spare = handedOver;
            mustFetch = fetch;
        }
    }

    private static async Task ReceiveAcksAsync(WebSocket socket, DeliveryConnection connection, RelayState state, CancellationToken ct)
    {
        var buffer = new byte[MaxClientFrameBytes];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        connection.Stop(WebSocketCloseStatus.MessageTooBig, "frame too large");
                        return;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    connection.Stop(WebSocketCloseStatus.NormalClosure, "closed by client");
                    return;
                }

                AckRequest ack;
                try
                {
                    ack = RequestValidation.Check(JsonBodies.Parse(buffer.AsSpan(0, length), RelayJson.Default.AckRequest));
                }
                catch (RelayProblemException)
                {
                    connection.Stop(WebSocketCloseStatus.InvalidPayloadData, "not an ack frame");
                    return;
                }

                await state.Store.AckAsync(connection.Account, connection.Device, ack.Seqs, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            connection.Stop(WebSocketCloseStatus.NormalClosure, "closed");
        }
        catch (RelayStoreException)
        {
            connection.Stop(WebSocketCloseStatus.InternalServerError, "relay storage unavailable");
        }
    }

    private static async Task SendAsync(WebSocket socket, StreamFrame frame, CancellationToken ct) =>
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame, RelayJson.Default.StreamFrame), WebSocketMessageType.Text, true, ct);

    private static async Task CloseAsync(WebSocket socket, DeliveryConnection connection)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(connection.CloseStatus ?? WebSocketCloseStatus.NormalClosure, connection.CloseDescription ?? "closed", timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client is gone; nothing more to say.
        }
    }
}
