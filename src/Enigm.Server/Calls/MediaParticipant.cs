using System.Net.WebSockets;
using System.Threading.Channels;

namespace Enigm.Server.Calls;

/// <summary>A frame waiting to go out on one participant's socket: a forwarded binary media frame or a text room event.</summary>
public readonly record struct OutgoingFrame(ReadOnlyMemory<byte> Bytes, WebSocketMessageType Type);

/// <summary>
/// One connected participant of a call room: its bounded outgoing queue (a slow receiver loses frames rather than
/// slowing the others down) and the reason it was told to stop, which becomes the WebSocket close status.
/// </summary>
public sealed class MediaParticipant(string account, string device, int queueFrames)
{
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateBounded<OutgoingFrame>(
        new BoundedChannelOptions(queueFrames) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly CancellationTokenSource _stopped = new();
    private long _received;
    private long _forwarded;
    private long _dropped;

    public string Account { get; } = account;

    public string Device { get; } = device;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    public CancellationToken Stopped => _stopped.Token;

    /// <summary>Frames this participant sent that the relay accepted (within its rate).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Frames delivered into this participant's queue.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Frames lost for this participant: over its sending rate, or its queue full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<OutgoingFrame> Outgoing => _outgoing.Reader;

    /// <summary>Queues a frame for this participant; false (counted as dropped) when its queue is full.</summary>
    public bool TryEnqueue(OutgoingFrame frame)
    {
        // DropWrite makes TryWrite report success while discarding; the count tells the queue's real state.
        if (_outgoing.Reader.Count >= queueFrames || !_outgoing.Writer.TryWrite(frame))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        Interlocked.Increment(ref _forwarded);
        return true;
    }

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void Stop(WebSocketCloseStatus status, string description)
    {
        lock (_stopped)
        {
            if (CloseStatus is not null) return;
            CloseStatus = status;
            CloseDescription = description;
        }

        _outgoing.Writer.TryComplete();
        try
        {
            _stopped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }
}
