using System.Diagnostics;
using Enigm.Relay;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Enigm.Server.Http;

/// <summary>
/// The one place failures become problem+json: typed refusals keep their code, Kestrel's own limits map to theirs, and
/// anything unexpected becomes 503 <c>unavailable</c> (never a 500 with a stack trace), logged by exception type and
/// route only. It also logs each request as method, route template and status: never the path's query (a WebSocket may
/// carry its token there), headers or bodies.
/// </summary>
internal sealed partial class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null && context.Response.ContentType is null)
            {
                // Routing's 404/405 and Kestrel's rejections arrive with no body: give them one.
                var status = context.Response.StatusCode;
                await ProblemWriter.WriteAsync(context, status, ProblemWriter.CodeForStatus(status), null);
            }
        }
        catch (RelayProblemException problem)
        {
            await WriteOrAbort(context, problem);
        }
        catch (BadHttpRequestException bad)
        {
            var code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? RelayProblem.TooLarge : RelayProblem.Malformed;
            await WriteOrAbort(context, new RelayProblemException(bad.StatusCode, code, code == RelayProblem.TooLarge ? "the request body is over the size limit" : "the request could not be read"));
        }
        catch (MailboxFullException)
        {
            await WriteOrAbort(context, RelayProblemException.MailboxFull());
        }
        catch (AttachmentTooLargeException)
        {
            await WriteOrAbort(context, RelayProblemException.TooLarge($"an attachment is at most {RelayLimits.MaxAttachmentBytes} bytes"));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e.GetType().FullName ?? e.GetType().Name, RouteOf(context));
            await WriteOrAbort(context, RelayProblemException.Unavailable());
        }
        finally
        {
            LogRequest(logger, context.Request.Method, RouteOf(context), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static async Task WriteOrAbort(HttpContext context, RelayProblemException problem)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        await ProblemWriter.WriteAsync(context, problem);
    }

    private static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while serving {Route}")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType, string route);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Route} {Status} {ElapsedMs:0.0}ms")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, double elapsedMs);
}
