using System.Diagnostics;
using System.Net.WebSockets;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Delivery;
using Enigm.Server.Diagnostics;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Enigm.Server.Apis;

/// <summary>
/// Submits a device sends on its own delivery WebSocket (<see cref="StreamSubmit"/>; Signal-Server's model: a client's
/// requests ride the authenticated socket it already holds instead of one HTTP request each). Each is answered with a
/// <see cref="StreamSubmitReply"/> under its id once durable, or with the same problem the HTTP submit gives: the frame's
/// token is re-checked as HTTP re-checks it per request (<see cref="RelayAuthenticator.AuthenticateHashAsync"/>: stored,
/// unexpired, device active, account enabled), then <see cref="RequestValidation"/> and
/// <see cref="MessagesApi.SubmitValidatedAsync"/>, the one method the HTTP submit also calls. Up to
/// <see cref="MaxInFlight"/> submits per connection run at once and may be answered in any order; past that the reader
/// stops reading the socket until one is answered (back-pressure through TCP). A submit frame over
/// <see cref="MaxPipelinedFrameBytes"/> is answered before the next frame is read, so a connection holds at most
/// <see cref="MaxInFlight"/> small submits or one large one (up to <see cref="RelayLimits.MaxRequestBytes"/>) at a time.
/// Acks on the socket are applied here too, off the reader (<see cref="AcceptAckAsync"/>).
/// </summary>
public sealed partial class StreamSubmits(RelayState state, DeliveryConnection connection, byte[] tokenHash, StreamFrameSender sender, CancellationToken socketAborted)
{
    public const int MaxInFlight = 64;

    public const int MaxPipelinedFrameBytes = 64 * 1024;

    private readonly SemaphoreSlim _window = new(MaxInFlight, MaxInFlight);

    /// <summary>Starts answering <paramref name="submit"/>; waits first while <see cref="MaxInFlight"/> are unanswered.</summary>
    public async Task AcceptAsync(StreamSubmit submit, int frameBytes, CancellationToken ct)
    {
        await _window.WaitAsync(ct);
        var answering = AnswerAsync(submit);
        if (frameBytes > MaxPipelinedFrameBytes) await answering;
    }

    /// <summary>
    /// Applies an ack without holding up the reader: on SQLite an ack waits for the next group commit, and a submit
    /// frame behind it on the same socket would wait with it. It takes a place in the window like a submit.
    /// </summary>
    public async Task AcceptAckAsync(long[] seqs, CancellationToken ct)
    {
        await _window.WaitAsync(ct);
        _ = AckAsync(seqs);
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until every accepted submit is answered.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        var taken = 0;
        try
        {
            for (; taken < MaxInFlight; taken++) await _window.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // Still storing: its reply is dropped with the socket; the message, if stored, is delivered as usual.
        }
        finally
        {
            if (taken > 0) _window.Release(taken);
        }
    }

    /// <summary>The checks and the store write of one submit, as the HTTP submit runs them after authenticating.</summary>
    public static async Task<SubmitResponse> SubmitAsync(RelayState state, byte[] tokenHash, StreamSubmit submit, CancellationToken ct)
    {
        // What HTTP checks on every request, checked on every frame: a token that expired, a device revoked or an
        // account disabled since the socket opened is refused here even before the connection is stopped.
        var caller = await RelayAuthenticator.AuthenticateHashAsync(state, tokenHash, ct);
        var request = RequestValidation.Check(new SubmitRequest(submit.Recipient, submit.Messages));
        return await MessagesApi.SubmitValidatedAsync(state, request, caller, ct);
    }

    /// <summary>The reply carrying <paramref name="problem"/> exactly as the HTTP problem+json carries it.</summary>
    public static StreamSubmitReply Refusal(long id, RelayProblemException problem) => new(
        id,
        Problem: ProblemWriter.Body(problem.Status, problem.Code, problem.Message),
        Mismatch: problem.Mismatch,
        RetryAfterSeconds: problem.RetryAfter is { } retry ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : null);

    private async Task AnswerAsync(StreamSubmit submit)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            StreamSubmitReply reply;
            try
            {
                // Not cancelled by the socket: a submit that reached the store completes, as an HTTP one whose client
                // left does; only its answer is lost (the client retries with the same message ids: idempotent).
                reply = new StreamSubmitReply(submit.Id, await SubmitAsync(state, tokenHash, submit, CancellationToken.None));
                RelayMetrics.SubmitStored.Record(RelayMetrics.Since(started));
            }
            catch (RelayProblemException problem)
            {
                reply = Refusal(submit.Id, problem);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogUnexpected(state.Log, e.GetType().FullName ?? e.GetType().Name);
                reply = Refusal(submit.Id, RelayProblemException.Unavailable());
            }

            var stored = Stopwatch.GetTimestamp();
            await sender.SendAsync(new StreamFrame(null, false, Reply: reply), socketAborted);
            RelayMetrics.SubmitReply.Record(RelayMetrics.Since(stored));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is gone: the client learns the outcome by retrying (message ids make that idempotent).
        }
        finally
        {
            _window.Release();
        }
    }

    private async Task AckAsync(long[] seqs)
    {
        try
        {
            await state.Store.AckAsync(connection.Account, connection.Device, seqs, CancellationToken.None);
        }
        catch (RelayStoreException)
        {
            connection.Stop(WebSocketCloseStatus.InternalServerError, "relay storage unavailable");
        }
        finally
        {
            _window.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while answering a submit on the delivery stream")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType);
}
