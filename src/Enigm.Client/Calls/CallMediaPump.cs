using System.Diagnostics;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Calls;
using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Errors;

namespace Enigm.Client.Calls;

/// <summary>
/// Streams a generated audio-like signal over a media socket and counts what comes back. Frames are SFrame-protected
/// under the current epoch (RFC 9605 §4.4.3) and unprotected under the keys this device holds (§4.4.4); every refusal
/// (tampered, replayed, wrong epoch, unknown KID) is counted as rejected; gaps in a sender's counters, and frames that
/// arrive before this device holds any epoch key, as dropped.
/// All use of the media session goes through <see cref="Gate"/> (the signalling loop changes epochs beside it).
/// </summary>
internal sealed class CallMediaPump(MediaSocketConnection socket, Func<CallMediaSession?> media, CallOptions options, Action<CallEvent>? onEvent)
{
    private readonly Dictionary<ulong, ulong> _lastCounter = [];
    private readonly Dictionary<int, long> _receivedFrom = [];
    private long _sent;
    private long _received;
    private long _dropped;
    private long _rejected;

    public Lock Gate { get; } = new();

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>The relay's close status once it closed the socket (1000 call ended, 4001 removed by the owner).</summary>
    public int? ClosedWith { get; private set; }

    /// <summary>Frames that unprotected, by sender index (the KID's high bits, <see cref="CallKeyIds"/>).</summary>
    public IReadOnlyDictionary<int, long> ReceivedFrom()
    {
        lock (Gate) return new Dictionary<int, long>(_receivedFrom);
    }

    /// <summary>Sends one frame every 1/fps seconds until cancelled; nothing is sent while there is no epoch.</summary>
    public async Task SendAsync(CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(1.0 / options.FramesPerSecond);
        var clock = Stopwatch.StartNew();
        var payload = new byte[options.FrameBytes];
        for (long n = 0; !ct.IsCancellationRequested; n++)
        {
            Generate(payload, n);
            byte[]? frame = null;
            lock (Gate)
            {
                if (media() is { Epoch: not null } session) frame = session.Protect(payload);
            }

            if (frame is not null)
            {
                await socket.SendAsync(frame, ct);
                Interlocked.Increment(ref _sent);
            }

            var due = interval * (n + 1) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, ct);
        }
    }

    /// <summary>Receives until the relay closes the socket or <paramref name="ct"/> is cancelled.</summary>
    public async Task ReceiveAsync(CancellationToken ct)
    {
        var plaintext = new byte[global::Enigm.Relay.CallLimits.MaxFrameBytes];
        while (!ct.IsCancellationRequested)
        {
            var delivery = await socket.ReceiveAsync(ct);
            if (delivery.CloseStatus is not null)
            {
                ClosedWith = delivery.CloseStatus;
                return;
            }

            if (delivery.Event is { } room)
            {
                onEvent?.Invoke(new CallEvent(room.Kind, $"device {room.Device} of {room.Account[..16]}… {room.Kind} the relay room"));
                continue;
            }

            Accept(delivery.Frame!, plaintext);
        }
    }

    /// <summary>Unprotects one frame and counts it (exposed to the call drivers for frames they inject or replay).</summary>
    public bool Accept(byte[] frame, byte[] plaintext)
    {
        lock (Gate)
        {
            if (media() is not { } session)
            {
                // Frames that arrive before this device holds the epoch's keys (the caller streams as soon as it admits,
                // the rekey reaches this device over the mailbox a moment later) cannot be played: dropped, not refused.
                Interlocked.Increment(ref _dropped);
                return false;
            }

            try
            {
                var header = session.UnprotectInto(frame, plaintext, out _);
                if (_lastCounter.TryGetValue(header.Kid, out var last) && header.Counter > last + 1) Interlocked.Add(ref _dropped, (long)(header.Counter - last - 1));
                if (!_lastCounter.TryGetValue(header.Kid, out last) || header.Counter > last) _lastCounter[header.Kid] = header.Counter;
                Interlocked.Increment(ref _received);
                if (CallKeyIds.TrySplit(header.Kid, out var sender, out _)) _receivedFrom[sender] = _receivedFrom.GetValueOrDefault(sender) + 1;
                return true;
            }
            catch (EnigmException e) when (e is SFrameHeaderInvalidException or SFrameAuthenticationException or SFrameReplayException
                or SFrameUnknownKeyException or CallEpochException or CallStateException or MalformedInputException)
            {
                Interlocked.Increment(ref _rejected);
                if (onEvent is not null) Report(frame, e);
                return false;
            }
        }
    }

    /// <summary>Says which frame was refused and why (its KID and counter are public header fields, RFC 9605 §7.1).</summary>
    private void Report(byte[] frame, EnigmException refusal)
    {
        var readable = global::Enigm.Relay.SFrameHeader.TryRead(frame, out var header, out _);
        onEvent!(new CallEvent("rejected", readable ? $"frame KID {header.Kid} counter {header.Counter}: {refusal.Message}" : refusal.Message)
        {
            Kid = readable ? header.Kid : null,
            Counter = readable ? header.Counter : null,
            Code = refusal.Code,
        });
    }

    /// <summary>An audio-like test signal: a 440 Hz tone sampled at 8 kHz, 8-bit (only its size and cadence matter to the call).</summary>
    private static void Generate(byte[] payload, long frame)
    {
        for (var i = 0; i < payload.Length; i++)
        {
            var t = ((frame * payload.Length) + i) / 8000.0;
            payload[i] = (byte)(128 + (100 * Math.Sin(2 * Math.PI * 440 * t)));
        }
    }
}
