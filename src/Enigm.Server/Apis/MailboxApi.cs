using System.Globalization;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// A device's own mailbox: polling fetch (nothing deleted), ack (deletes exactly the named messages of the caller's own
/// mailbox) and the WebSocket stream (<see cref="MailboxStream"/>). There is no route that names another device's
/// mailbox: the mailbox is always the token's (account, device).
/// </summary>
public static class MailboxApi
{
    public const int DefaultFetch = 100;

    /// <summary>An ack of <see cref="RelayLimits.MaxMailboxFetch"/> sequence numbers in JSON.</summary>
    public const int MaxAckBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapGet(RelayRoutes.Mailbox, context => FetchAsync(context, state));
        app.MapPost(RelayRoutes.MailboxAck, context => AckAsync(context, state));
        app.Map(RelayRoutes.MailboxStream, context => MailboxStream.RunAsync(context, state));
    }

    private static async Task FetchAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var limit = QueryLong(context, "limit", DefaultFetch, 1, RelayLimits.MaxMailboxFetch);
        var after = QueryLong(context, "after", 0, 0, long.MaxValue);
        var messages = await state.Store.FetchAsync(caller.Account, caller.Device, after, (int)limit + 1, context.RequestAborted);
        var more = messages.Count > limit;
        var page = more ? [.. messages.Take((int)limit)] : messages.ToArray();
        await JsonBodies.WriteAsync(context, 200, new MailboxResponse(page, more), RelayJson.Default.MailboxResponse);
    }

    private static async Task AckAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.AckRequest, MaxAckBodyBytes));
        await state.Store.AckAsync(caller.Account, caller.Device, request.Seqs, context.RequestAborted);
        context.Response.StatusCode = 204;
    }

    /// <summary>An integer query parameter in [min, max], or the default when absent; anything else is 400.</summary>
    public static long QueryLong(HttpContext context, string name, long fallback, long min, long max)
    {
        var values = context.Request.Query[name];
        if (values.Count == 0) return fallback;
        if (values.Count > 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw RelayProblemException.Malformed($"{name} must be an integer from {min} to {max}");
        return value;
    }
}
