using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// The device-linking rendezvous: a small, short-lived mailbox named by a hash of the link code's secret, carrying the
/// enrollment channel's already encrypted messages between the new and the existing device. No authentication (the new
/// device has none yet); posts are rate-limited per address, capped in size and count, and swept after the TTL.
/// </summary>
public static class RendezvousApi
{
    public const int MaxBodyBytes = (RelayLimits.MaxRendezvousPayloadBytes / 3 * 4) + 1024;

    /// <summary>Longest long-poll wait a GET may ask for.</summary>
    public const int MaxWaitSeconds = 30;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapPost(RelayRoutes.Rendezvous, context => PostAsync(context, state));
        app.MapGet(RelayRoutes.Rendezvous, context => ReadAsync(context, state));
    }

    private static async Task PostAsync(HttpContext context, RelayState state)
    {
        var channel = RequestValidation.Channel(context.Request.RouteValues["channel"] as string);
        Throttle.ByAddress(context, state);
        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.RendezvousPost, MaxBodyBytes));
        var existing = await state.Store.RendezvousReadAsync(channel, 0, context.RequestAborted);
        if (existing.Count >= RelayLimits.MaxRendezvousMessages)
            throw RelayProblemException.TooLarge($"a rendezvous channel holds at most {RelayLimits.MaxRendezvousMessages} messages");
        var seq = await state.Store.RendezvousPostAsync(channel, request.Payload, state.Now, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, new RendezvousPostResponse(seq), RelayJson.Default.RendezvousPostResponse);
    }

    private static async Task ReadAsync(HttpContext context, RelayState state)
    {
        var channel = RequestValidation.Channel(context.Request.RouteValues["channel"] as string);
        var after = MailboxApi.QueryLong(context, "after", 0, 0, long.MaxValue);
        var wait = TimeSpan.FromSeconds(MailboxApi.QueryLong(context, "wait", 0, 0, MaxWaitSeconds));
        var deadline = state.Options.Time.GetTimestamp();
        while (true)
        {
            var messages = await state.Store.RendezvousReadAsync(channel, after, context.RequestAborted);
            if (messages.Count > 0 || state.Options.Time.GetElapsedTime(deadline) >= wait)
            {
                await JsonBodies.WriteAsync(context, 200, new RendezvousMessages([.. messages]), RelayJson.Default.RendezvousMessages);
                return;
            }

            await Task.Delay(PollInterval, context.RequestAborted);
        }
    }
}
