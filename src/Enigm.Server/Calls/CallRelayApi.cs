using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Enigm.Server.Calls;

/// <summary>
/// The media relay's routes (<see cref="CallRoutes"/>): create or update a room, end it, and the participants' media
/// WebSocket (<see cref="MediaSocket"/>). Every refusal before the upgrade is problem+json like any other route.
/// </summary>
public static class CallRelayApi
{
    public static void Map(WebApplication app, RelayState state, CallRelayOptions? options = null)
    {
        var rooms = new CallRooms(options ?? new CallRelayOptions(), state.Options.Time);
        var subscription = state.Store.Subscribe(rooms.OnSignal);
        app.Lifetime.ApplicationStopping.Register(rooms.StopAll);
        app.Lifetime.ApplicationStopped.Register(subscription.Dispose);
        app.MapPut(CallRoutes.Room, context => PutAsync(context, state, rooms));
        app.MapDelete(CallRoutes.Room, context => DeleteAsync(context, state, rooms));
        app.Map(CallRoutes.Media, context => MediaSocket.RunAsync(context, state, rooms));
    }

    /// <summary>A call id from the route: 32 lowercase hex characters, else 400.</summary>
    public static string CallId(HttpContext context) =>
        context.Request.RouteValues["call"] is string { Length: CallLimits.CallIdLength } call && call.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')
            ? call
            : throw RelayProblemException.Malformed($"a call id is {CallLimits.CallIdLength} lowercase hexadecimal characters");

    /// <summary>Field checks of a room request (pure, so the fuzz target runs exactly what the route runs).</summary>
    public static CallRoomParticipant[] Check(CallRoomRequest request)
    {
        if (request.Participants is null) throw RelayProblemException.Malformed("participants is required");
        if (request.Participants.Length > CallLimits.MaxParticipants)
            throw RelayProblemException.TooLarge($"a call has at most {CallLimits.MaxParticipants} participant devices");
        var seen = new HashSet<CallRoomParticipant>();
        foreach (var participant in request.Participants)
        {
            if (participant is null) throw RelayProblemException.Malformed("a participant is null");
            var checkedOne = new CallRoomParticipant(RequestValidation.Account(participant.Account), RequestValidation.Device(participant.Device));
            if (!seen.Add(checkedOne)) throw RelayProblemException.Malformed("a participant device is listed twice");
        }

        return [.. seen];
    }

    private static async Task PutAsync(HttpContext context, RelayState state, CallRooms rooms)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var call = CallId(context);
        var participants = Check(await JsonBodies.ReadAsync(context, CallJson.Default.CallRoomRequest, CallLimits.MaxRoomRequestBytes));
        var owner = new CallRoomParticipant(caller.Account, caller.Device);
        if (participants.Length + (participants.Contains(owner) ? 0 : 1) > CallLimits.MaxParticipants)
            throw RelayProblemException.TooLarge($"a call has at most {CallLimits.MaxParticipants} participant devices, its owner included");
        var (room, created) = rooms.Put(call, owner, participants);
        var response = new CallRoomResponse(room.Call, room.Owner.Account, room.Owner.Device, room.Allowed, CallLimits.MaxFrameBytes);
        await JsonBodies.WriteAsync(context, created ? 201 : 200, response, CallJson.Default.CallRoomResponse);
    }

    private static async Task DeleteAsync(HttpContext context, RelayState state, CallRooms rooms)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        rooms.End(CallId(context), new CallRoomParticipant(caller.Account, caller.Device));
        context.Response.StatusCode = 204;
    }
}
