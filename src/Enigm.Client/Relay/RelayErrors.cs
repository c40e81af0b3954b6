using System.Net;
using System.Text.Json;
using Enigm.Client.Errors;
using Enigm.Relay;

namespace Enigm.Client.Relay;

/// <summary>Turns a relay error response (problem+json with a stable code, or anything else) into the client's typed exceptions.</summary>
internal static class RelayErrors
{
    /// <summary>Largest error body read (problem documents are a few hundred bytes).</summary>
    public const int MaxProblemBytes = 16 * 1024;

    public static async Task<RelayException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var status = (int)response.StatusCode;
        string text;
        try
        {
            text = await RelayHttp.ReadBoundedStringAsync(response.Content, MaxProblemBytes, cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException)
        {
            text = "";
        }

        ProblemBody? problem = null;
        try
        {
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                problem = JsonSerializer.Deserialize(text, RelayJson.Default.ProblemBody);
        }
        catch (JsonException)
        {
            // Not the contract's problem document: reported by status below.
        }

        return FromProblem(status, problem, () => MismatchOf(text), response.Headers.RetryAfter?.Delta, $"HTTP {status} {response.ReasonPhrase}");
    }

    /// <summary>
    /// A refusal the relay answered on the delivery stream (<see cref="StreamSubmitReply.Problem"/>): the same typed
    /// exception as the HTTP problem+json with that status and code gives.
    /// </summary>
    public static RelayException FromStreamReply(StreamSubmitReply reply)
    {
        var status = reply.Problem?.Status ?? 0;
        var retryAfter = reply.RetryAfterSeconds is int seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return FromProblem(status, reply.Problem, () => reply.Mismatch, retryAfter, "a stream reply with no problem");
    }

    private static RelayException FromProblem(int status, ProblemBody? problem, Func<DevicesMismatch?> mismatch, TimeSpan? retryAfter, string fallback)
    {
        var code = problem?.Code;
        var detail = problem?.Detail is { Length: > 0 } d ? $"{problem.Title}: {d}" : problem?.Title ?? fallback;
        var message = $"The relay refused the request ({code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture)}): {OneLine(detail)}";
        return code switch
        {
            RelayProblem.DevicesMismatch => Mismatch(mismatch(), message),
            RelayProblem.DeviceRevoked or RelayProblem.AccountDisabled => new DeviceRevokedException(message, code, status),
            RelayProblem.Unauthenticated or RelayProblem.Forbidden => new RelayAuthenticationException(message, code, status),
            RelayProblem.UnknownAccount or RelayProblem.UnknownDevice or RelayProblem.NotFound or RelayProblem.NoBundle => new RelayNotFoundException(message, code, status),
            RelayProblem.RateLimited => new RelayRateLimitedException(message, code, status, retryAfter),
            RelayProblem.Unavailable => new RelayUnavailableException(message, code, status),
            not null => new RelayRejectedException(message, code, status),
            null when status is 401 or 403 => new RelayAuthenticationException(message, null, status),
            null when status == (int)HttpStatusCode.NotFound => new RelayNotFoundException(message, null, status),
            null when status == 429 => new RelayRateLimitedException(message, null, status, retryAfter),
            null when status >= 500 => new RelayUnavailableException(message, null, status),
            _ => new RelayRejectedException(message, null, status),
        };
    }

    private static DevicesMismatch? MismatchOf(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, RelayJson.Default.DevicesMismatch);
        }
        catch (JsonException)
        {
            return null; // Reported without the lists.
        }
    }

    private static DevicesMismatchException Mismatch(DevicesMismatch? body, string message) =>
        new(message, body?.Missing ?? [], body?.Extra ?? []);

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
