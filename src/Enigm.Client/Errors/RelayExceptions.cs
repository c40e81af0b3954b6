using Enigm.Crypto.Errors;

namespace Enigm.Client.Errors;

/// <summary>
/// The relay refused a request or could not be reached. <see cref="EnigmException.Code"/> names the family;
/// <see cref="ProblemCode"/> is the relay's stable problem code (Enigm.Relay.RelayProblem) when it sent one.
/// </summary>
public abstract class RelayException(string code, string message, string? problemCode, int? status, Exception? inner = null)
    : EnigmException(code, message, inner)
{
    /// <summary>The relay's problem code (<c>devices-mismatch</c>, <c>device-revoked</c>…), or null when no problem document came back.</summary>
    public string? ProblemCode { get; } = problemCode;

    /// <summary>The HTTP status, or null when no response came back.</summary>
    public int? Status { get; } = status;
}

/// <summary>The relay could not be reached, timed out, answered 5xx or answered with something that is not the contract.</summary>
public sealed class RelayUnavailableException(string message, string? problemCode = null, int? status = null, Exception? inner = null)
    : RelayException("relay-unavailable", message, problemCode, status, inner);

/// <summary>The relay did not accept this device's credentials (401 or 403 forbidden): the token, the challenge signature or the account.</summary>
public sealed class RelayAuthenticationException(string message, string? problemCode, int? status)
    : RelayException("relay-unauthenticated", message, problemCode, status);

/// <summary>This device was revoked, or its account disabled: the relay refuses it from now on.</summary>
public sealed class DeviceRevokedException(string message, string? problemCode, int? status)
    : RelayException("device-revoked", message, problemCode, status);

/// <summary>The relay has no such account, device, prekey bundle, attachment or record.</summary>
public sealed class RelayNotFoundException(string message, string? problemCode, int? status)
    : RelayException("relay-not-found", message, problemCode, status);

/// <summary>The relay is rate limiting this device or recipient; <see cref="RetryAfter"/> says when to try again, when it said.</summary>
public sealed class RelayRateLimitedException(string message, string? problemCode, int? status, TimeSpan? retryAfter)
    : RelayException("relay-rate-limited", message, problemCode, status)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The relay refused the request's content: malformed or too large, a conflict (account exists, device log fork or
/// rollback, devices mismatch after retries), an invalid device log, a full mailbox.
/// </summary>
public sealed class RelayRejectedException(string message, string? problemCode, int? status)
    : RelayException("relay-rejected", message, problemCode, status);

/// <summary>
/// The relay's 409 devices-mismatch: the submit did not address exactly the recipient's current devices. The client
/// refreshes and verifies the recipient's device log and retries; it surfaces only when the relay's device list and
/// the verified log keep disagreeing (a relay listing devices the log does not trust, for example).
/// </summary>
public sealed class DevicesMismatchException(string message, IReadOnlyList<string> missing, IReadOnlyList<string> extra)
    : RelayException("devices-mismatch", message, global::Enigm.Relay.RelayProblem.DevicesMismatch, 409)
{
    /// <summary>Devices the relay expected and the submit left out.</summary>
    public IReadOnlyList<string> Missing { get; } = missing;

    /// <summary>Devices the submit named that the relay does not list (revoked or unknown).</summary>
    public IReadOnlyList<string> Extra { get; } = extra;
}
