using Enigm.Relay;

namespace Enigm.Server.Http;

/// <summary>
/// A request the relay refuses, with its HTTP status and stable <see cref="RelayProblem"/> code. Thrown by endpoint code
/// and turned into <c>application/problem+json</c> in one place (<see cref="ProblemMiddleware"/>). The detail is shown to
/// the client, so it names what was wrong and never holds a token, key or message body.
/// </summary>
public sealed class RelayProblemException(int status, string code, string detail, DevicesMismatch? mismatch = null, TimeSpan? retryAfter = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public DevicesMismatch? Mismatch { get; } = mismatch;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public static RelayProblemException Malformed(string detail) => new(400, RelayProblem.Malformed, detail);

    public static RelayProblemException TooLarge(string detail) => new(413, RelayProblem.TooLarge, detail);

    public static RelayProblemException Unauthenticated(string detail) => new(401, RelayProblem.Unauthenticated, detail);

    public static RelayProblemException Forbidden(string detail) => new(403, RelayProblem.Forbidden, detail);

    public static RelayProblemException NotFound(string detail) => new(404, RelayProblem.NotFound, detail);

    /// <summary>A device's mailbox is at its cap (the store's <c>MailboxFullException</c>): the whole submit was refused.</summary>
    public static RelayProblemException MailboxFull() => new(507, RelayProblem.MailboxFull, "a recipient device's mailbox is full; nothing was stored");

    /// <summary>Anything unexpected: never a 500 with details, only "retry later".</summary>
    public static RelayProblemException Unavailable() => new(503, RelayProblem.Unavailable, "the relay could not complete the request; retry later");
}
