using System.Text.Json;
using Enigm.Client.Errors;
using Enigm.Relay;

namespace Enigm.Client.Relay;

/// <summary>
/// Identified submits on the delivery WebSocket (Signal's model: requests ride the authenticated socket the client
/// already holds, not one HTTP request each). Each goes out as a <see cref="StreamSubmit"/> under a fresh id and is
/// answered by the relay once durable; a refusal becomes the same typed exception as over HTTP
/// (<see cref="RelayErrors.FromStreamReply"/>: a devices mismatch is a <see cref="DevicesMismatchException"/> with its
/// lists). A submit the stream cannot carry (too large, the stream closing, no answer in time) fails with
/// <see cref="RelayUnavailableException"/>, and the caller sends it over HTTP instead (idempotent by message id).
/// </summary>
internal sealed partial class MailboxStreamConnection
{
    /// <summary>Submits in flight at once, the relay's per-connection window (Enigm.Server's StreamSubmits.MaxInFlight).</summary>
    public const int MaxSubmitsInFlight = 64;

    private readonly SemaphoreSlim _window = new(MaxSubmitsInFlight, MaxSubmitsInFlight);
    private long _nextSubmitId;

    public async Task<SubmitResponse> SubmitAsync(SubmitRequest request, TimeSpan timeout, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextSubmitId);
        var frame = JsonSerializer.SerializeToUtf8Bytes(new StreamClientFrame(Submit: new StreamSubmit(id, request.Recipient, request.Messages)), RelayJson.Default.StreamClientFrame);
        if (frame.Length > RelayLimits.MaxRequestBytes) throw new RelayUnavailableException("The submit is larger than a delivery-stream frame may be.");

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var answered = new TaskCompletionSource<StreamSubmitReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = false;
        try
        {
            await _window.WaitAsync(limit.Token);
            entered = true;
            _submits[id] = answered;
            if (!IsOpen) throw new RelayUnavailableException("The relay's delivery stream is closed.");
            await SendFrameAsync(frame, limit.Token);
            var reply = await answered.Task.WaitAsync(limit.Token);
            return reply.Response ?? throw RelayErrors.FromStreamReply(reply);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RelayUnavailableException($"The relay did not answer the submit on the delivery stream within {timeout.TotalSeconds:0} s.");
        }
        finally
        {
            _submits.TryRemove(id, out _);
            if (entered) _window.Release();
        }
    }

    private void FailSubmits(RelayUnavailableException failure)
    {
        foreach (var id in _submits.Keys)
        {
            if (_submits.TryRemove(id, out var waiting)) waiting.TrySetException(failure);
        }
    }
}
