using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// Key transparency reads (RFC 9162 §2.1.3, §2.1.4, §4.10): the newest signed tree head with the log's public key, an
/// account's newest head with its inclusion proof, and consistency proofs between two tree sizes. Public: anyone may
/// audit the log.
/// </summary>
public static class TransparencyApi
{
    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapGet(RelayRoutes.TreeHead, context => HeadAsync(context, state));
        app.MapGet(RelayRoutes.Inclusion, context => InclusionAsync(context, state));
        app.MapGet(RelayRoutes.Consistency, context => ConsistencyAsync(context, state));
    }

    private static Task HeadAsync(HttpContext context, RelayState state) =>
        JsonBodies.WriteAsync(context, 200, new TreeHeadResponse(state.Transparency.CurrentHead().Encode(), state.Transparency.LogPublicKey), RelayJson.Default.TreeHeadResponse);

    private static async Task InclusionAsync(HttpContext context, RelayState state)
    {
        var account = RequestValidation.Account(context.Request.Query["account"] is { Count: 1 } a ? a[0] : null);
        var size = MailboxApi.QueryLong(context, "size", state.Transparency.Size, 1, state.Transparency.Size);
        var leaf = await state.Store.LatestLeafAsync(account, context.RequestAborted)
            ?? throw new RelayProblemException(404, RelayProblem.UnknownAccount, "the log has no head for this account");
        if (leaf.Index >= size) throw RelayProblemException.Malformed($"the account's newest head is leaf {leaf.Index}, not in a tree of size {size}");
        var proof = state.Transparency.Inclusion(leaf.Index, size);
        await JsonBodies.WriteAsync(context, 200, new InclusionResponse(account, leaf.LeafData, leaf.Index, size, [.. proof.Path]), RelayJson.Default.InclusionResponse);
    }

    private static async Task ConsistencyAsync(HttpContext context, RelayState state)
    {
        var current = state.Transparency.Size;
        if (current == 0) throw RelayProblemException.Malformed("the log is empty: there is nothing to prove consistent");
        var to = MailboxApi.QueryLong(context, "to", current, 1, current);
        var from = MailboxApi.QueryLong(context, "from", 1, 1, to);
        var proof = state.Transparency.Consistency(from, to);
        await JsonBodies.WriteAsync(context, 200, new ConsistencyResponse(from, to, [.. proof.Path]), RelayJson.Default.ConsistencyResponse);
    }
}
