using System.Text.Json;
using System.Text.Json.Nodes;
using Enigm.Relay;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Http;

/// <summary>Writes every relay error as RFC 9457 <c>application/problem+json</c> with the stable <c>code</c> member.</summary>
public static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    public static ProblemBody Body(int status, string code, string? detail) =>
        new(RelayProblem.TypePrefix + code, TitleOf(code), status, code, detail);

    public static async Task WriteAsync(HttpContext context, RelayProblemException problem)
    {
        if (problem.RetryAfter is { } retry)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = Body(problem.Status, problem.Code, problem.Message);
        if (problem.Mismatch is null)
        {
            await WriteAsync(context, body);
            return;
        }

        // 409 devices-mismatch carries the DevicesMismatch members next to the problem members.
        var node = JsonSerializer.SerializeToNode(body, RelayJson.Default.ProblemBody)!.AsObject();
        var mismatch = JsonSerializer.SerializeToNode(problem.Mismatch, RelayJson.Default.DevicesMismatch)!.AsObject();
        foreach (var (name, value) in mismatch.ToList())
        {
            mismatch.Remove(name);
            node[name] = value;
        }

        Prepare(context, problem.Status);
        await context.Response.WriteAsync(node.ToJsonString(), context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int status, string code, string? detail) =>
        WriteAsync(context, Body(status, code, detail));

    private static async Task WriteAsync(HttpContext context, ProblemBody body)
    {
        Prepare(context, body.Status);
        await JsonSerializer.SerializeAsync(context.Response.Body, body, RelayJson.Default.ProblemBody, context.RequestAborted);
    }

    private static void Prepare(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
    }

    /// <summary>The problem code for a status the relay did not produce itself (routing, Kestrel limits).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        400 => RelayProblem.Malformed,
        401 => RelayProblem.Unauthenticated,
        403 => RelayProblem.Forbidden,
        404 or 405 => RelayProblem.NotFound,
        413 => RelayProblem.TooLarge,
        429 => RelayProblem.RateLimited,
        _ when status >= 500 => RelayProblem.Unavailable,
        _ => RelayProblem.Malformed,
    };

    private static string TitleOf(string code) => code switch
    {
        RelayProblem.Malformed => "The request is malformed.",
        RelayProblem.TooLarge => "The request is too large.",
        RelayProblem.Unauthenticated => "Authentication is required.",
        RelayProblem.Forbidden => "This is not allowed.",
        RelayProblem.DeviceRevoked => "The device is revoked.",
        RelayProblem.AccountDisabled => "The account is disabled.",
        RelayProblem.UnknownAccount => "No such account.",
        RelayProblem.UnknownDevice => "No such device.",
        RelayProblem.NotFound => "Not found.",
        RelayProblem.AccountExists => "The account exists.",
        RelayProblem.DevicesMismatch => "The device list is not the account's current one.",
        RelayProblem.LogInvalid => "The device log does not verify.",
        RelayProblem.LogFork => "The device log forks from the stored one.",
        RelayProblem.LogRollback => "The device log is older than the stored one.",
        RelayProblem.NoBundle => "The device has no prekey bundle.",
        RelayProblem.RateLimited => "Too many requests.",
        RelayProblem.MailboxFull => "The recipient's mailbox is full.",
        RelayProblem.Unavailable => "The relay cannot serve this request now.",
        _ => "The request failed.",
    };
}
