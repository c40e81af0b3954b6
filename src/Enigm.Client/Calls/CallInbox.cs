using System.Collections.Concurrent;
using System.Threading.Channels;
using Enigm.Messaging.Prekeys;

namespace Enigm.Client.Calls;

/// <summary>A call signal that arrived over a pairwise session, with the sender's verified identity.</summary>
internal sealed record ReceivedCallSignal(string Room, byte[] Signal, VerifiedIdentity From);

/// <summary>
/// Where received call signals wait for the call they belong to: a queue per call in progress, and one for offers
/// while this device waits to answer. Signals for no call of this device are reported as missed.
/// </summary>
internal sealed class CallInbox
{
    private readonly ConcurrentDictionary<string, Channel<ReceivedCallSignal>> _calls = new(StringComparer.Ordinal);
    private Channel<ReceivedCallSignal>? _ringing;

    public ChannelReader<ReceivedCallSignal> Open(string room)
    {
        var channel = Channel.CreateBounded<ReceivedCallSignal>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        _calls[room] = channel;
        return channel.Reader;
    }

    public void Close(string room) => _calls.TryRemove(room, out _);

    public ChannelReader<ReceivedCallSignal> Listen()
    {
        var channel = Channel.CreateBounded<ReceivedCallSignal>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        _ringing = channel;
        return channel.Reader;
    }

    public void StopListening() => _ringing = null;

    /// <summary>Queues the signal for its call, or as a ring; false when nothing on this device waits for it.</summary>
    public bool Deliver(ReceivedCallSignal signal, bool isOffer)
    {
        if (_calls.TryGetValue(signal.Room, out var call)) return call.Writer.TryWrite(signal);
        return isOffer && _ringing is { } ringing && ringing.Writer.TryWrite(signal);
    }
}
