using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Enigm.Client.Errors;
using Enigm.Relay;

namespace Enigm.Client.Relay;

/// <summary>
/// The delivery WebSocket (<see cref="RelayRoutes.MailboxStream"/>, stream version <see cref="RelayRoutes.StreamVersion"/>):
/// text frames holding one <see cref="StreamFrame"/> each from the relay (one message, or several), client frames
/// (<see cref="StreamClientFrame"/>) from this side: acks, and submits (<see cref="SubmitAsync"/>, see
/// MailboxStreamConnection.Submits.cs). One reader task reads the socket: submit replies complete their waiting submit
/// at once, every other frame queues for <see cref="ReceiveAsync"/>, so a submit is answered even while the sync loop
/// is busy handling a message. Frames are read up to a size cap; anything that is not the contract ends the connection
/// with <see cref="RelayUnavailableException"/>, and the caller falls back to polling. Acks are batched
/// (<see cref="AcknowledgeAsync"/>): the seqs of handled messages go out together in one frame when the relay says the
/// backlog is drained, when <see cref="AckBatch"/> are waiting, or when the stream closes (docs/relay-api.md,
/// "Delivery"): one ack frame and one store write for a burst instead of one per message.
/// </summary>
internal sealed partial class MailboxStreamConnection : IAsyncDisposable
{
    /// <summary>Largest frame read: a message body of RelayLimits.MaxMessageBytes in base64, with its JSON.</summary>
    public const int MaxFrameBytes = (RelayLimits.MaxMessageBytes / 3 * 4) + (16 * 1024);

    /// <summary>Handled messages whose ack waits for the next frame out.</summary>
    public const int AckBatch = 64;

    /// <summary>Delivery frames read ahead of the sync loop (the reader waits past this; submit replies never queue).</summary>
    public const int MaxQueuedFrames = 256;

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker? _invoker;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly List<long> _unacknowledged = new(AckBatch);
    private readonly Channel<StreamFrame> _frames = Channel.CreateBounded<StreamFrame>(new BoundedChannelOptions(MaxQueuedFrames) { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<StreamSubmitReply>> _submits = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private MailboxStreamConnection(ClientWebSocket socket, HttpMessageInvoker? invoker)
    {
        _socket = socket;
        _invoker = invoker;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>Why the relay closed the stream (4000: another connection of this device replaced it), once closed.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Open and still read: a submit sent now can be answered.</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open && !_reader.IsCompleted;

    public static async Task<MailboxStreamConnection> ConnectAsync(Uri server, string token, HttpMessageHandler? handler, CancellationToken ct)
    {
        var path = RelayRoutes.MailboxStream + "?" + RelayRoutes.StreamVersionQuery + "=" + RelayRoutes.StreamVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (socket, invoker) = await RelayWebSocket.ConnectAsync(server, path, token, handler, "The relay's delivery stream is unavailable", ct);
        return new MailboxStreamConnection(socket, invoker);
    }

    /// <summary>
    /// The next delivery frame (<see cref="StreamFrame.Message"/> or <see cref="StreamFrame.Messages"/>, or drained),
    /// or null when the relay closed the stream. A drained frame that carries messages (stream version 3) means "drained
    /// after these": the caller handles them, then <see cref="FlushAcksAsync"/> (or the next call here does).
    /// </summary>
    public async Task<StreamFrame?> ReceiveAsync(CancellationToken ct)
    {
        if (_flushBeforeNext)
        {
            _flushBeforeNext = false;
            await FlushAcksAsync(ct);
        }

        if (!await _frames.Reader.WaitToReadAsync(ct)) return null;
        var frame = await _frames.Reader.ReadAsync(ct);

        // The burst is over: everything handled so far is acknowledged in one frame; with messages on the frame, once
        // they are handled too.
        if (frame.Drained && frame.Message is null && frame.Messages is null) await FlushAcksAsync(ct);
        else if (frame.Drained) _flushBeforeNext = true;
        return frame;
    }

    /// <summary>The last frame was drained and carried messages: its acks go out before the next frame is read.</summary>
    private bool _flushBeforeNext;

    /// <summary>
    /// Acknowledges a handled message with the next batch (see the class summary). An ack lost with the connection only
    /// means the message is delivered again, and the client drops it by message id.
    /// </summary>
    public async Task AcknowledgeAsync(long seq, CancellationToken ct)
    {
        _unacknowledged.Add(seq);
        if (_unacknowledged.Count >= AckBatch) await FlushAcksAsync(ct);
    }

    /// <summary>Sends the waiting acks in one frame (nothing when none wait).</summary>
    public async Task FlushAcksAsync(CancellationToken ct)
    {
        if (_unacknowledged.Count == 0) return;
        long[] seqs = [.. _unacknowledged];
        _unacknowledged.Clear();
        await AckAsync(seqs, ct);
    }

    /// <summary>Acknowledges these messages now, in one frame.</summary>
    public Task AckAsync(IReadOnlyList<long> seqs, CancellationToken ct) =>
        SendFrameAsync(JsonSerializer.SerializeToUtf8Bytes(new AckRequest([.. seqs]), RelayJson.Default.AckRequest), ct);

    private async Task SendFrameAsync(byte[] frame, CancellationToken ct)
    {
        await _sendGate.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // Disposed: the sync loop closed the stream while a submit from another thread was sending.
            throw new RelayUnavailableException($"The relay's delivery stream broke: {e.Message}", inner: e);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Reads every frame: replies go to their submit, the rest to <see cref="ReceiveAsync"/>; ends with the stream.</summary>
    private async Task ReadLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (await ReadFrameAsync(_stop.Token) is { } frame)
            {
                if (frame.Reply is { } reply)
                {
                    if (_submits.TryRemove(reply.Id, out var waiting)) waiting.TrySetResult(reply);
                }
                else if (frame.Problem is { } problem)
                {
                    // A frame of ours the relay could not answer by id (it closes the stream next): nothing waits on it
                    // by id, so every waiting submit learns the stream is going away.
                    FailSubmits(new RelayUnavailableException($"The relay refused a frame on the delivery stream ({problem.Code}) and is closing it."));
                }
                else
                {
                    await _frames.Writer.WriteAsync(frame, _stop.Token);
                }
            }
        }
        catch (RelayUnavailableException e)
        {
            failure = e;
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            FailSubmits(new RelayUnavailableException("The relay's delivery stream closed before answering the submit."));
            _frames.Writer.TryComplete(failure);
        }
    }

    /// <summary>The next frame from the socket, or null when the relay closed the stream.</summary>
    private async Task<StreamFrame?> ReadFrameAsync(CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var frame = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, ct);
            }
            catch (WebSocketException e)
            {
                throw new RelayUnavailableException($"The relay's delivery stream broke: {e.Message}", inner: e);
            }

            if (result.MessageType == WebSocketMessageType.Close) return null;
            if (frame.Length + result.Count > MaxFrameBytes)
                throw new RelayUnavailableException($"The relay sent a stream frame larger than {MaxFrameBytes} bytes.");
            frame.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            try
            {
                return JsonSerializer.Deserialize(frame.ToArray(), RelayJson.Default.StreamFrame) ?? throw new JsonException("null frame");
            }
            catch (JsonException e)
            {
                throw new RelayUnavailableException($"The relay sent a stream frame that is not the contract: {e.Message}", inner: e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await FlushAcksAsync(timeout.Token);
            }
            catch (Exception e) when (e is RelayUnavailableException or OperationCanceledException)
            {
                // Not acknowledged: delivered again on the next connection, dropped there by message id.
            }
        }

        await RelayWebSocket.CloseAsync(_socket, _invoker, "bye");
        await _stop.CancelAsync();
        await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();

        // The semaphores are not disposed: a submit on another thread may still hold or wait on one while the sync loop
        // closes the stream (it then fails with RelayUnavailableException and goes over HTTP); they hold no handle.
    }
}
