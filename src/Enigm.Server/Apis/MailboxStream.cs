using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Delivery;
using Enigm.Server.Diagnostics;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Apis;

/// <summary>
/// The delivery WebSocket (<see cref="RelayRoutes.MailboxStream"/>): sends the backlog then every new message as
/// <see cref="StreamFrame"/> text frames (several messages per frame to a version-2 client, <see cref="RelayRoutes.StreamVersionQuery"/>),
/// a drained marker whenever the queue is empty (to a version-3 client on the frame carrying the last messages when it
/// empties the queue, not as a frame of its own), and reads the client's frames (<see cref="StreamReceiver"/>: acks, and
/// submits answered on the socket by <see cref="StreamSubmits"/>). Messages are deleted only by an ack. One connection per device across nodes: opening
/// one publishes ConnectionOpened, which closes older ones with 4000 ("replaced"). A connection closes with 4001 ("token
/// expired") when the token it was opened with expires.
/// </summary>
public static class MailboxStream
{
    public const int BatchSize = 100;

    /// <summary>Messages one frame carries at most to a version-2 client (their bodies together at most <see cref="RelayLimits.MaxMessageBytes"/>).</summary>
    public const int MaxMessagesPerFrame = 64;

    public static async Task RunAsync(HttpContext context, RelayState state)
    {
        var token = RelayAuthenticator.BearerToken(context) ?? (context.Request.Query["token"] is { Count: 1 } q ? q[0] : null);
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state, token);
        if (!context.WebSockets.IsWebSocketRequest) throw RelayProblemException.Malformed("this route is a WebSocket");

        var version = int.TryParse(context.Request.Query[RelayRoutes.StreamVersionQuery], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 1;
        var tokenHash = RelayAuthenticator.Hash(token!);

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var sender = new StreamFrameSender(socket);
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
            var submits = new StreamSubmits(state, connection, tokenHash, sender, context.RequestAborted);
            var receiving = StreamReceiver.RunAsync(socket, connection, submits, sender, context.RequestAborted);
            try
            {
                await PumpAsync(sender, connection, state, version, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped: replaced, revoked, the client closed, or the relay is stopping.
            }
            catch (WebSocketException)
            {
                // The client went away mid-send.
            }

            // Submits being stored are answered before the close frame (after it, nothing more may be sent).
            await submits.DrainAsync(TimeSpan.FromSeconds(5));
            await CloseAsync(socket, connection);
            try
            {
                await receiving.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                socket.Abort();
            }

            await submits.DrainAsync(TimeSpan.FromSeconds(5));
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
    private static async Task PumpAsync(StreamFrameSender sender, DeliveryConnection connection, RelayState state, int version, CancellationToken ct)
    {
        var batching = version >= 2;
        // Version 3: the drained marker rides on the last frame of messages that empties the queue. At a steady trickle
        // (one message per wake-up) that is one frame per message instead of two, and one receive on the client.
        var drainedOnMessages = version >= 3;
        var cursor = new DeliveryCursor();
        var spare = new List<MailboxMessage>();
        var outgoing = new List<MailboxMessage>();
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
                        if (cursor.TakeFetched(message)) outgoing.Add(message);
                    }

                    if (outgoing.Count > 0) drainedSent = false;
                    // The last batch of the fetch (fewer than asked for) leaves the queue empty.
                    drainedSent |= await SendMessagesAsync(sender, outgoing, batching, drainedOnMessages && batch.Count < BatchSize, ct);
                    cursor.Forget();
                }
                while (batch.Count == BatchSize);
            }

            if (!drainedSent)
            {
                await sender.SendAsync(new StreamFrame(null, true), ct);
                drainedSent = true;
            }

            await connection.WaitForWakeAsync(ct);
            var (handedOver, fetch, oldest) = connection.Take(spare);
            foreach (var message in handedOver)
            {
                if (cursor.TakeHandedOver(message)) outgoing.Add(message);
            }

            if (outgoing.Count > 0) drainedSent = false;
            // Drained only when nothing is left to fetch; otherwise the fetch above ends with the marker.
            drainedSent |= await SendMessagesAsync(sender, outgoing, batching, drainedOnMessages && !fetch && !cursor.NeedsFetch, ct);
            if (handedOver.Count > 0) RelayMetrics.DeliveryHandover.Record(RelayMetrics.Since(oldest));
            handedOver.Clear();
            spare = handedOver;
            mustFetch = fetch;
        }
    }

    /// <summary>
    /// Sends <paramref name="messages"/> in order and clears the list: one per frame (<see cref="StreamFrame.Message"/>),
    /// or to a version-2 client as many per frame as fit (<see cref="MaxMessagesPerFrame"/>, bodies together at most
    /// <see cref="RelayLimits.MaxMessageBytes"/>, so a frame is no larger than one holding a single largest message).
    /// With <paramref name="drained"/> the last frame also carries the drained marker; returns whether a frame did.
    /// </summary>
    private static async Task<bool> SendMessagesAsync(StreamFrameSender sender, List<MailboxMessage> messages, bool batching, bool drained, CancellationToken ct)
    {
        var start = 0;
        var sent = false;
        while (start < messages.Count)
        {
            var end = start + 1;
            var bytes = Size(messages[start]);
            while (batching && end < messages.Count && end - start < MaxMessagesPerFrame && bytes + Size(messages[end]) <= RelayLimits.MaxMessageBytes)
                bytes += Size(messages[end++]);
            var last = drained && end == messages.Count;
            var frame = end - start == 1
                ? new StreamFrame(messages[start], last)
                : new StreamFrame(null, last, messages.GetRange(start, end - start).ToArray());
            await sender.SendAsync(frame, ct);
            sent = last;
            start = end;
        }

        messages.Clear();
        return sent;
    }

    private static long Size(MailboxMessage message) => message.Body.Length + (message.Shared?.Length ?? 0);

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
