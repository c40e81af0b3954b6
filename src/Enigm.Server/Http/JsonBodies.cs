using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Http;

/// <summary>
/// Reads a JSON request body under a per-route byte cap (before parsing: a declared or streamed length over the cap is
/// 413 <c>too-large</c>) and parses it with the source-generated <see cref="Relay.RelayJson"/> context (anything that is
/// not the expected shape is 400 <c>malformed-request</c>). Writes JSON responses the same way.
/// </summary>
public static class JsonBodies
{
    public static async Task<T> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, int maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
            throw RelayProblemException.TooLarge($"this request body is at most {maxBytes} bytes");
        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes, 16 * 1024));
        var body = context.Request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await body.ReadAsync(memory, context.RequestAborted);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
                throw RelayProblemException.TooLarge($"this request body is at most {maxBytes} bytes");
        }

        return Parse(buffer.WrittenSpan, type);
    }

    /// <summary>Parses untrusted bytes into <typeparamref name="T"/>: the whole request parser the fuzz targets drive.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw RelayProblemException.Malformed("the body is JSON null");
        }
        catch (JsonException e)
        {
            throw RelayProblemException.Malformed($"the body is not a valid {typeof(T).Name}{Where(e)}");
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw RelayProblemException.Malformed($"the body is not a valid {typeof(T).Name}");
        }
    }

    public static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    private static string Where(JsonException e) => e.Path is { Length: > 0 } path ? $" (at {path})" : "";
}
