using System.Text.Json;
using System.Text.Json.Serialization;

namespace Enigm.Relay;

/// <summary>
/// The media relay's wire contract (docs/relay-api.md, "Media relay"): a call room per random call id, whose owner
/// names the participant devices; each participant opens one WebSocket and every binary frame it sends (an SFrame
/// ciphertext, RFC 9605 §4.2) is forwarded unchanged to the other connected participants. The relay never holds a
/// media key: it only counts bytes and frames. Kept apart from <see cref="RelayRoutes"/> so the call routes can evolve
/// without touching the messaging contract.
/// </summary>
public static class CallRoutes
{
    /// <summary>
    /// PUT <see cref="CallRoomRequest"/> → <see cref="CallRoomResponse"/> (auth). The first PUT creates the room and makes
    /// the caller its owner; later PUTs by the owner replace the participant list (removed devices are disconnected with
    /// <see cref="CallCloseCodes.Removed"/>). DELETE (owner) ends the call (every socket closed with 1000).
    /// </summary>
    public const string Room = "/v1/calls/{call}";

    /// <summary>WebSocket (auth, token in the Authorization header or <c>?token=</c>): a participant's media socket.</summary>
    public const string Media = "/v1/calls/{call}/media";

    public static string RoomPath(string call) => Room.Replace("{call}", call, StringComparison.Ordinal);

    public static string MediaPath(string call) => Media.Replace("{call}", call, StringComparison.Ordinal);
}

/// <summary>Caps of the media relay (both sides know them; the server enforces them).</summary>
public static class CallLimits
{
    /// <summary>Call ids: 32 lowercase hex characters (128 random bits chosen by the caller).</summary>
    public const int CallIdLength = 32;

    /// <summary>Devices in one room, owner included.</summary>
    public const int MaxParticipants = 16;

    /// <summary>Largest binary frame forwarded; larger closes the socket with 1009 (an SFrame of a 160-byte audio frame is ~190 bytes).</summary>
    public const int MaxFrameBytes = 64 * 1024;

    /// <summary>Rooms one device may own at once on a node.</summary>
    public const int MaxRoomsPerOwner = 8;

    /// <summary>Largest room request body.</summary>
    public const int MaxRoomRequestBytes = 16 * 1024;
}

/// <summary>WebSocket close codes of the media socket (besides 1000 ended, 1003 not binary, 1008 revoked, 1009 too big).</summary>
public static class CallCloseCodes
{
    /// <summary>The same device opened another media socket for this call.</summary>
    public const int Replaced = 4000;

    /// <summary>The owner removed this device from the participant list.</summary>
    public const int Removed = 4001;
}

public sealed record CallRoomParticipant(string Account, string Device);

public sealed record CallRoomRequest(CallRoomParticipant[] Participants);

public sealed record CallRoomResponse(string Call, string OwnerAccount, string OwnerDevice, CallRoomParticipant[] Participants, int MaxFrameBytes);

/// <summary>A text frame the relay sends on the media socket: <c>joined</c> or <c>left</c> for another participant.</summary>
public sealed record CallRoomEvent(string Kind, string Account, string Device)
{
    public const string Joined = "joined";
    public const string Left = "left";
}

/// <summary>Source-generated JSON for the media relay's shapes (same options as <see cref="RelayJson"/>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, MaxDepth = 16)]
[JsonSerializable(typeof(CallRoomRequest))]
[JsonSerializable(typeof(CallRoomResponse))]
[JsonSerializable(typeof(CallRoomEvent))]
public sealed partial class CallJson : JsonSerializerContext;
