using Enigm.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Policy;

/// <summary>Raw (CBOR) request and response bodies of the policy routes, size-capped before anything is parsed.</summary>
internal static class PolicyBodies
{
    public const string Cbor = "application/cbor";

    public static async Task<byte[]> ReadAsync(HttpContext context, int maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
            throw RelayProblemException.TooLarge($"this request body is at most {maxBytes} bytes");
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) throw RelayProblemException.TooLarge($"this request body is at most {maxBytes} bytes");
        }

        if (buffer.Length == 0) throw RelayProblemException.Malformed("the body is empty");
        return buffer.ToArray();
    }

    public static async Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = Cbor;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
