using System.Net.WebSockets;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Calls;

/// <summary>
/// One participant's media WebSocket (<see cref="CallRoutes.Media"/>). Before the upgrade: the token (header or
/// <c>?token=</c>), the room, and the caller being one of its devices (401/404/403 problem+json). After: every binary
/// SFrame frame up to <see cref="CallLimits.MaxFrameBytes"/> within the participant's rate is forwarded unchanged to
/// the other participants; a larger frame closes with 1009, a text frame with 1003, a frame without a well-formed SFrame
/// header (or with nothing after it) with 1007; frames over the rate are dropped. The relay
/// sends the others' frames as binary and <see cref="CallRoomEvent"/> text frames when someone joins or leaves.
/// </summary>
public static class MediaSocket
{
    public static async Task RunAsync(HttpContext context, RelayState state, CallRooms rooms)
    {
        var call = CallRelayApi.CallId(context);
        var token = RelayAuthenticator.BearerToken(context) ?? (context.Request.Query["token"] is { Count: 1 } q ? q[0] : null);
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state, token);
        var room = rooms.Find(call) ?? throw RelayProblemException.NotFound("no such call on this relay");
        if (!room.IsAllowed(caller.Account, caller.Device)) throw RelayProblemException.Forbidden("this device is not a participant of the call");
        if (!context.WebSockets.IsWebSocketRequest) throw RelayProblemException.Malformed("this route is a WebSocket");

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var participant = room.Join(caller.Account, caller.Device, state.Now);
        if (participant is null)
        {
            // Removed between the check and the upgrade.
            await socket.CloseOutputAsync((WebSocketCloseStatus)CallCloseCodes.Removed, "not a participant", CancellationToken.None);
            return;
        }

        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(participant.Stopped, context.RequestAborted);
            // As on the delivery socket: receiving is not cancelled by a stop (that would abort the socket before the
            // close status reaches the client); it ends with the close handshake.
            var receiving = ReceiveAsync(socket, participant, room, rooms, call, context.RequestAborted);
            try
            {
                await SendAsync(socket, participant, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                // Stopped (left, removed, replaced, revoked, relay stopping) or the client went away mid-send.
            }

            await CloseAsync(socket, participant);
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
            room.Leave(participant, state.Now);
        }
    }

    private static async Task SendAsync(WebSocket socket, MediaParticipant participant, CancellationToken ct)
    {
        await foreach (var frame in participant.Outgoing.ReadAllAsync(ct))
            await socket.SendAsync(frame.Bytes, frame.Type, true, ct);
    }

    private static async Task ReceiveAsync(WebSocket socket, MediaParticipant participant, CallRoom room, CallRooms rooms, string call, CancellationToken ct)
    {
        var buffer = new byte[CallLimits.MaxFrameBytes];
        var bucket = $"{call}/{participant.Account}/{participant.Device}";
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
                        participant.Stop(WebSocketCloseStatus.MessageTooBig, $"a media frame is at most {CallLimits.MaxFrameBytes} bytes");
                        return;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        participant.Stop(WebSocketCloseStatus.NormalClosure, "left");
                        return;
                    case WebSocketMessageType.Text:
                        participant.Stop(WebSocketCloseStatus.InvalidMessageType, "media frames are binary");
                        return;
                }

                // The only bytes the relay reads: the SFrame header (RFC 9605 §4.3). A frame without one, or with
                // nothing after it, is not media; the relay has no key, so it cannot judge anything further.
                if (!SFrameHeader.TryRead(buffer.AsSpan(0, length), out _, out var headerSize) || headerSize >= length)
                {
                    participant.Stop(WebSocketCloseStatus.InvalidPayloadData, "media frames are SFrame frames (RFC 9605)");
                    return;
                }

                // Removed, replaced or revoked: the close handshake can take seconds (five at most), and nothing the
                // device sends meanwhile is forwarded. Its keys are no longer in the others' epoch anyway.
                if (participant.CloseStatus is not null)
                {
                    participant.CountDropped();
                    continue;
                }

                if (!rooms.FrameBuckets.TryTake(bucket, out _))
                {
                    participant.CountDropped();
                    continue;
                }

                participant.CountReceived();
                // One copy shared by every receiver's queue (the receive buffer is reused for the next frame).
                room.Forward(participant, buffer.AsSpan(0, length).ToArray());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            participant.Stop(WebSocketCloseStatus.NormalClosure, "closed");
        }
    }

    private static async Task CloseAsync(WebSocket socket, MediaParticipant participant)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(participant.CloseStatus ?? WebSocketCloseStatus.NormalClosure, participant.CloseDescription ?? "closed", timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client is gone; nothing more to say.
        }
    }
}
