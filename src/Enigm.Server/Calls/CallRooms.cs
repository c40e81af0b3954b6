using System.Collections.Concurrent;
using System.Net.WebSockets;
using Enigm.Relay;
using Enigm.Server.Http;
using Enigm.Server.Limits;
using Enigm.Server.Storage;

namespace Enigm.Server.Calls;

/// <summary>
/// This node's call rooms, by call id. Rooms live in memory only (a call is ephemeral): every participant of one call
/// must reach the same node, which a deployment gets by routing <c>/v1/calls/{call}</c> on the call id. Revoking a
/// device or disabling an account closes its media sockets (1008), as for the delivery sockets.
/// </summary>
public sealed class CallRooms(CallRelayOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CallRoom> _rooms = new(StringComparer.Ordinal);
    private readonly object _createGate = new();

    public CallRelayOptions Options { get; } = options;

    /// <summary>Per-participant frame buckets, keyed by call and device.</summary>
    public TokenBuckets FrameBuckets { get; } = new(options.FramesPerParticipant, time);

    public CallRoom? Find(string call) => _rooms.TryGetValue(call, out var room) ? room : null;

    /// <summary>Creates the room with <paramref name="owner"/> as owner, or replaces its list when the owner asks again.</summary>
    public (CallRoom Room, bool Created) Put(string call, CallRoomParticipant owner, CallRoomParticipant[] participants)
    {
        lock (_createGate)
        {
            if (_rooms.TryGetValue(call, out var existing))
            {
                if (existing.Owner != owner) throw RelayProblemException.Forbidden("only the device that created this call changes its participants");
                existing.Replace(participants);
                return (existing, false);
            }

            PruneIdle();
            if (_rooms.Count >= Options.MaxRooms)
                throw new RelayProblemException(429, RelayProblem.RateLimited, "this relay holds too many calls; retry later", retryAfter: TimeSpan.FromSeconds(30));
            if (_rooms.Values.Count(r => r.Owner == owner) >= CallLimits.MaxRoomsPerOwner)
                throw new RelayProblemException(429, RelayProblem.RateLimited, $"a device owns at most {CallLimits.MaxRoomsPerOwner} calls at once; end one first", retryAfter: TimeSpan.FromSeconds(30));
            var room = new CallRoom(call, owner, participants, Options.OutgoingQueueFrames, time.GetUtcNow());
            _rooms[call] = room;
            return (room, true);
        }
    }

    /// <summary>Ends the call: every socket closed with 1000 and the room forgotten. Only the owner may.</summary>
    public void End(string call, CallRoomParticipant by)
    {
        lock (_createGate)
        {
            var room = Find(call) ?? throw RelayProblemException.NotFound("no such call on this relay");
            if (room.Owner != by) throw RelayProblemException.Forbidden("only the device that created this call ends it");
            _rooms.TryRemove(call, out _);
            room.StopWhere(_ => true, WebSocketCloseStatus.NormalClosure, "call ended");
        }
    }

    /// <summary>Store signals from every node: a revoked device or a disabled account loses its media sockets.</summary>
    public void OnSignal(RelaySignal signal)
    {
        Func<MediaParticipant, bool>? which = signal.Kind switch
        {
            RelaySignalKind.DeviceRevoked when signal.Device is not null => p => p.Account == signal.Account && p.Device == signal.Device,
            RelaySignalKind.AccountDisabled => p => p.Account == signal.Account,
            _ => null,
        };
        if (which is null) return;
        var reason = signal.Kind == RelaySignalKind.DeviceRevoked ? "device revoked" : "account disabled";
        foreach (var room in _rooms.Values) room.StopWhere(which, WebSocketCloseStatus.PolicyViolation, reason);
    }

    /// <summary>Closes every media socket (the relay is stopping).</summary>
    public void StopAll()
    {
        foreach (var room in _rooms.Values) room.StopWhere(_ => true, WebSocketCloseStatus.EndpointUnavailable, "relay stopping");
    }

    private void PruneIdle()
    {
        var before = time.GetUtcNow() - Options.IdleRoomTtl;
        foreach (var (call, room) in _rooms)
        {
            if (room.IdleSince(before)) _rooms.TryRemove(call, out _);
        }
    }
}
