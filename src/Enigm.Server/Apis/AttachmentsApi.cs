using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// Encrypted attachment blobs, streamed straight between the socket and the store in chunks (never whole in memory).
/// The relay sees ciphertext only: the key and digest travel inside the end-to-end encrypted message.
/// </summary>
public static class AttachmentsApi
{
    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapPut(RelayRoutes.Attachment, context => PutAsync(context, state));
        app.MapGet(RelayRoutes.Attachment, context => GetAsync(context, state));
    }

    private static async Task PutAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var id = RequestValidation.AttachmentId(context.Request.RouteValues["id"] as string);
        if (context.Request.ContentLength > RelayLimits.MaxAttachmentBytes)
            throw RelayProblemException.TooLarge($"an attachment is at most {RelayLimits.MaxAttachmentBytes} bytes");

        // The only route allowed past Kestrel's general body cap; the store enforces the attachment cap while streaming.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } cap) cap.MaxRequestBodySize = RelayLimits.MaxAttachmentBytes + 1;
        if (!await state.Store.PutAttachmentAsync(id, caller.Account, context.Request.Body, RelayLimits.MaxAttachmentBytes, state.Now, context.RequestAborted))
            throw new RelayProblemException(409, RelayProblem.AttachmentExists, "an attachment with this id exists; choose another random id");
        context.Response.StatusCode = 201;
    }

    private static async Task GetAsync(HttpContext context, RelayState state)
    {
        await RelayAuthenticator.AuthenticateAsync(context, state);
        var id = RequestValidation.AttachmentId(context.Request.RouteValues["id"] as string);
        var length = await state.Store.AttachmentLengthAsync(id, context.RequestAborted)
            ?? throw RelayProblemException.NotFound("no attachment with this id (it may have expired)");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = length;
        if (!await state.Store.CopyAttachmentToAsync(id, context.Response.Body, context.RequestAborted))
            throw RelayProblemException.NotFound("no attachment with this id (it may have expired)");
    }
}
