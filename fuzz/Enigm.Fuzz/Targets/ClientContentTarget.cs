using Enigm.Client.Content;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The client's message content decoder (<see cref="MessageContent.Decode"/>): what a contact's device puts inside an
/// end-to-end encrypted message, so untrusted once decrypted. Rejections are <c>MalformedInputException</c>; accepted
/// input must re-encode to the same bytes (deterministic CBOR) and respect every field limit.
/// </summary>
internal static class ClientContentTarget
{
    public static FuzzTarget Target { get; } = new(
        "client-content",
        "Enigm.Client MessageContent decoder (text, attachment reference, delivery token, gossiped tree head); canonical round trip, field limits.",
        static () => { },
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        var content = MessageContent.Decode(input.ToArray());
        FuzzInvariantException.Check(content.Encode().AsSpan().SequenceEqual(input), "message content does not re-encode to its input");
        FuzzInvariantException.Check(content.MessageId.Length == 16, "accepted a message id that is not 16 bytes");
        FuzzInvariantException.Check(content.Text is null || System.Text.Encoding.UTF8.GetByteCount(content.Text) <= MessageContent.MaxTextBytes, "accepted text over the limit");
    }

    private static IEnumerable<FuzzSeed> Seeds()
    {
        var id = Fixtures.Pattern(16, 1);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);
        yield return new FuzzSeed("text", new MessageContent(id, at, "hello", null, null, Fixtures.Pattern(32, 2), Fixtures.Pattern(64, 3)).Encode());
        yield return new FuzzSeed("attachment", new MessageContent(id, at, null, new AttachmentReference(new string('a', 32), Fixtures.Pattern(80, 4), "photo.jpg"), null, null, null).Encode());
        yield return new FuzzSeed("own-copy", new MessageContent(id, at, "to bob", null, new string('b', 64), null, null).Encode());
    }
}
