using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Enigm.Client.Errors;

namespace Enigm.Client.Relay;

/// <summary>Bounded reads of relay responses: a relay is untrusted input, so no response is read past its size cap.</summary>
internal static class RelayHttp
{
    public static async Task<string> ReadBoundedStringAsync(HttpContent content, int maxBytes, CancellationToken cancellation) =>
        System.Text.Encoding.UTF8.GetString(await ReadBoundedAsync(content, maxBytes, cancellation));

    public static async Task<byte[]> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellation)
    {
        if (content.Headers.ContentLength > maxBytes)
            throw new RelayUnavailableException($"The relay's response is larger than {maxBytes} bytes: not the relay contract.");
        await using var stream = await content.ReadAsStreamAsync(cancellation);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new RelayUnavailableException($"The relay's response is larger than {maxBytes} bytes: not the relay contract.");
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static async Task<T> ReadJsonAsync<T>(HttpContent content, JsonTypeInfo<T> type, int maxBytes, CancellationToken cancellation)
    {
        var bytes = await ReadBoundedAsync(content, maxBytes, cancellation);
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new RelayUnavailableException($"The relay answered with a body that is not the contract's {typeof(T).Name}: {e.Message}", inner: e);
        }
    }
}
