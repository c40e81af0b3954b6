namespace Enigm.Relay;

/// <summary>
/// Stable problem codes: the <c>code</c> extension member of every problem+json error, and the last segment of its
/// <c>type</c> URI (<c>https://enigm.dev/problems/{code}</c>). Clients map them to typed errors and CLI exit codes.
/// </summary>
public static class RelayProblem
{
    public const string TypePrefix = "https://enigm.dev/problems/";

    public const string Malformed = "malformed-request";            // 400
    public const string TooLarge = "too-large";                      // 413
    public const string Unauthenticated = "unauthenticated";         // 401
    public const string Forbidden = "forbidden";                     // 403
    public const string DeviceRevoked = "device-revoked";            // 403
    public const string AccountDisabled = "account-disabled";        // 403
    public const string UnknownAccount = "unknown-account";          // 404
    public const string UnknownDevice = "unknown-device";            // 404
    public const string NotFound = "not-found";                      // 404
    public const string AccountExists = "account-exists";            // 409
    public const string AttachmentExists = "attachment-exists";      // 409
    public const string DevicesMismatch = "devices-mismatch";        // 409
    public const string LogInvalid = "device-log-invalid";           // 422
    public const string LogFork = "device-log-fork";                 // 409
    public const string LogRollback = "device-log-rollback";         // 409
    public const string NoBundle = "no-prekey-bundle";               // 404
    public const string RateLimited = "rate-limited";                // 429
    public const string MailboxFull = "mailbox-full";                // 507
    public const string Unavailable = "unavailable";                 // 503
}

/// <summary>The body of every relay error (RFC 9457 problem details plus the stable <see cref="Code"/>).</summary>
public sealed record ProblemBody(string Type, string Title, int Status, string Code, string? Detail = null);
