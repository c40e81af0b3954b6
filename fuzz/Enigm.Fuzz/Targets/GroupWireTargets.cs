using System.Text.Json;
using Enigm.Client.Content;
using Enigm.Client.Groups;
using Enigm.Relay;
using Enigm.Server.Calls;
using Enigm.Server.Http;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The parsers the client's group and call wiring adds: the control content carried in pairwise sessions
/// (<see cref="ControlContent.Decode"/>), the group message content inside a sender-key ciphertext
/// (<see cref="GroupContent.Decode"/>), and the media relay's room request (JSON parse + <see cref="CallRelayApi.Check"/>).
/// Rejections are typed; accepted CBOR re-encodes to its input.
/// </summary>
internal static class GroupWireTargets
{
    public static FuzzTarget Control { get; } = new(
        "client-control",
        "Enigm.Client ControlContent decoder (group roster, sender key, call signal envelopes in pairwise sessions); canonical round trip.",
        static () => { },
        input =>
        {
            var control = ControlContent.Decode(input.ToArray());
            FuzzInvariantException.Check(control.Encode().AsSpan().SequenceEqual(input), "control content does not re-encode to its input");
            FuzzInvariantException.Check(control.Body.Length <= ControlContent.MaxBodyBytes, "accepted a body over the limit");
        },
        ControlSeeds);

    public static FuzzTarget Group { get; } = new(
        "client-group-content",
        "Enigm.Client GroupContent decoder (what a group message carries once decrypted); canonical round trip, field limits.",
        static () => { },
        input =>
        {
            var content = GroupContent.Decode(input.ToArray());
            FuzzInvariantException.Check(content.Encode().AsSpan().SequenceEqual(input), "group content does not re-encode to its input");
            FuzzInvariantException.Check(content.GroupId.Length == 32 && content.MessageId.Length == 16, "accepted ids of the wrong length");
        },
        GroupSeeds);

    public static FuzzTarget CallRoom { get; } = new(
        "relay-call-room",
        "Enigm.Server media relay room request: JSON parse and field checks (ids, count cap, duplicates).",
        static () => { },
        input =>
        {
            try
            {
                var participants = CallRelayApi.Check(JsonBodies.Parse(input, CallJson.Default.CallRoomRequest));
                FuzzInvariantException.Check(participants.Length <= CallLimits.MaxParticipants, "accepted more participants than the cap");
                FuzzInvariantException.Check(participants.Distinct().Count() == participants.Length, "accepted a duplicate participant");
            }
            catch (RelayProblemException)
            {
                // The typed refusal (400 or 413) the route answers with.
            }
        },
        RoomSeeds);

    public static IReadOnlyList<FuzzTarget> All => [Control, Group, CallRoom];

    private static IEnumerable<FuzzSeed> ControlSeeds()
    {
        yield return new FuzzSeed("roster", new ControlContent(Fixtures.Pattern(16, 1), ControlKind.GroupRoster, Fixtures.Pattern(200, 2), null, null).Encode());
        yield return new FuzzSeed("call", new ControlContent(Fixtures.Pattern(16, 3), ControlKind.CallSignal, Fixtures.Pattern(90, 4), new string('c', 32), Fixtures.Pattern(120, 5)).Encode());
    }

    private static IEnumerable<FuzzSeed> GroupSeeds()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
        yield return new FuzzSeed("text", new GroupContent(Fixtures.Pattern(32, 1), Fixtures.Pattern(16, 2), at, "hello group", null).Encode());
        yield return new FuzzSeed("attachment", new GroupContent(Fixtures.Pattern(32, 3), Fixtures.Pattern(16, 4), at, null, new AttachmentReference(new string('a', 32), Fixtures.Pattern(80, 5), "photo.jpg")).Encode());
    }

    private static IEnumerable<FuzzSeed> RoomSeeds()
    {
        var account = new string('a', 64);
        yield return new FuzzSeed("two", JsonSerializer.SerializeToUtf8Bytes(new CallRoomRequest([new CallRoomParticipant(account, "phone"), new CallRoomParticipant(account, "laptop")]), CallJson.Default.CallRoomRequest));
    }
}
