using System.Net.WebSockets;
using System.Text.Json;
using Enigm.Relay;

namespace Enigm.Server.Calls;

/// <summary>
/// One call's room on this node: the owner (the device that created it), the devices allowed in, and the connected
/// participants. A binary frame from one participant is queued, unchanged, for every other connected participant: the
/// room never parses the media (an SFrame ciphertext whose key only the participants hold, RFC 9605 §4.2), so a relay
/// that is compromised learns sizes and timing, never content.
/// </summary>
public sealed class CallRoom(string call, CallRoomParticipant owner, IEnumerable<CallRoomParticipant> allowed, int queueFrames, DateTimeOffset now)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Account, string Device), MediaParticipant> _connected = [];
    private HashSet<CallRoomParticipant> _allowed = [.. allowed, owner];
    private DateTimeOffset _lastActive = now;

    public string Call { get; } = call;

    public CallRoomParticipant Owner { get; } = owner;

    public CallRoomParticipant[] Allowed
    {
        get
        {
            lock (_gate) return [.. _allowed.OrderBy(p => p.Account, StringComparer.Ordinal).ThenBy(p => p.Device, StringComparer.Ordinal)];
        }
    }

    public bool IsAllowed(string account, string device)
    {
        lock (_gate) return _allowed.Contains(new CallRoomParticipant(account, device));
    }

    /// <summary>Nobody connected since <paramref name="before"/>: the room can be forgotten.</summary>
    public bool IdleSince(DateTimeOffset before)
    {
        lock (_gate) return _connected.Count == 0 && _lastActive < before;
    }

    /// <summary>Replaces the allowed devices (the owner stays); connected devices no longer allowed are closed with 4001.</summary>
    public void Replace(IEnumerable<CallRoomParticipant> allowed)
    {
        List<MediaParticipant> removed;
        lock (_gate)
        {
            _allowed = [.. allowed, Owner];
            removed = [.. _connected.Values.Where(p => !_allowed.Contains(new CallRoomParticipant(p.Account, p.Device)))];
        }

        foreach (var participant in removed) participant.Stop((WebSocketCloseStatus)CallCloseCodes.Removed, "removed from the call");
    }

    /// <summary>Connects a participant (closing this device's older socket with 4000) and tells the others it joined.</summary>
    public MediaParticipant? Join(string account, string device, DateTimeOffset now)
    {
        var participant = new MediaParticipant(account, device, queueFrames);
        MediaParticipant? older = null;
        lock (_gate)
        {
            if (!_allowed.Contains(new CallRoomParticipant(account, device))) return null;
            _connected.TryGetValue((account, device), out older);
            _connected[(account, device)] = participant;
            _lastActive = now;
        }

        older?.Stop((WebSocketCloseStatus)CallCloseCodes.Replaced, "replaced");
        if (older is null) Announce(participant, CallRoomEvent.Joined);
        return participant;
    }

    /// <summary>Disconnects a participant (if it is still the device's current socket) and tells the others it left.</summary>
    public void Leave(MediaParticipant participant, DateTimeOffset now)
    {
        bool removed;
        lock (_gate)
        {
            removed = _connected.TryGetValue((participant.Account, participant.Device), out var current) && ReferenceEquals(current, participant);
            if (removed) _connected.Remove((participant.Account, participant.Device));
            _lastActive = now;
        }

        if (removed) Announce(participant, CallRoomEvent.Left);
    }

    /// <summary>Queues one media frame for every other connected participant; returns how many queued it.</summary>
    public int Forward(MediaParticipant from, ReadOnlyMemory<byte> frame)
    {
        var reached = 0;
        foreach (var to in Others(from))
        {
            if (to.TryEnqueue(new OutgoingFrame(frame, WebSocketMessageType.Binary))) reached++;
        }

        return reached;
    }

    /// <summary>Stops every connected participant (call ended, revocation, relay stopping).</summary>
    public void StopWhere(Func<MediaParticipant, bool> which, WebSocketCloseStatus status, string description)
    {
        MediaParticipant[] all;
        lock (_gate) all = [.. _connected.Values];
        foreach (var participant in all.Where(which)) participant.Stop(status, description);
    }

    private void Announce(MediaParticipant about, string kind)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new CallRoomEvent(kind, about.Account, about.Device), CallJson.Default.CallRoomEvent);
        foreach (var to in Others(about)) to.TryEnqueue(new OutgoingFrame(bytes, WebSocketMessageType.Text));
    }

    private MediaParticipant[] Others(MediaParticipant from)
    {
        lock (_gate) return [.. _connected.Values.Where(p => !ReferenceEquals(p, from))];
    }
}
