using System.Text;
using System.Text.Json;
using Enigm.Relay;
using Enigm.Server.Apis;
using Enigm.Server.Http;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The client frame of the delivery WebSocket (issue 13: ack | submit), parsed as the relay parses it: the frame cap
/// (<see cref="StreamReceiver.MaxFrameBytes"/>), <see cref="StreamReceiver.Parse"/> (JSON, exactly one kind, an ack
/// validated), then for a submit the field validation it gets when answered. Refusals are the relay's typed problems;
/// an accepted frame must re-serialise to JSON that parses and validates again to the same bytes.
/// </summary>
internal static class StreamClientFrameTarget
{
    public static FuzzTarget Target { get; } = new(
        "relay-stream-client-frame",
        "Relay delivery-stream client frame (ack | submit): frame cap, JSON parse, one kind, field validation; accepted frames round-trip.",
        static () => { },
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            var accepted = Check(StreamReceiver.Parse(input));
            var json = JsonSerializer.SerializeToUtf8Bytes(accepted, RelayJson.Default.StreamClientFrame);
            var again = JsonSerializer.SerializeToUtf8Bytes(Check(StreamReceiver.Parse(json)), RelayJson.Default.StreamClientFrame);
            FuzzInvariantException.Check(json.AsSpan().SequenceEqual(again), "an accepted stream client frame does not round-trip");
        }
        catch (RelayProblemException e)
        {
            throw new StreamFrameRefusal(e.Code, e.Message);
        }
    }

    private static StreamClientFrame Check(StreamClientFrame frame)
    {
        if (frame.Submit is { } submit) RequestValidation.Check(new SubmitRequest(submit.Recipient, submit.Messages));
        return frame;
    }

    private static IEnumerable<FuzzSeed> Seeds()
    {
        var account = new string('a', 64);
        var id = new byte[16];
        var body = Encoding.UTF8.GetBytes("an opaque ciphertext");
        yield return Seed("valid-ack", new StreamClientFrame(Seqs: [1, 2, long.MaxValue]));
        yield return Seed("valid-submit", new StreamClientFrame(Submit: new StreamSubmit(7, account, [new OutgoingMessage("phone", id, body), new OutgoingMessage("laptop", id, body)])));
        yield return new FuzzSeed("both-kinds", Encoding.UTF8.GetBytes($"{{\"seqs\":[1],\"submit\":{{\"id\":1,\"recipient\":\"{account}\",\"messages\":[]}}}}"));
        yield return new FuzzSeed("empty-object", "{}"u8.ToArray());
        yield return new FuzzSeed("null", "null"u8.ToArray());
        yield return new FuzzSeed("truncated", "{\"submit\":{\"id\":1,\"recip"u8.ToArray());
    }

    private static FuzzSeed Seed(string label, StreamClientFrame frame) =>
        new(label, JsonSerializer.SerializeToUtf8Bytes(frame, RelayJson.Default.StreamClientFrame));

    /// <summary>The relay's refusal as the harness reports it: typed, with the problem code as the outcome.</summary>
    private sealed class StreamFrameRefusal(string code, string message) : EnigmException(code, message);
}
