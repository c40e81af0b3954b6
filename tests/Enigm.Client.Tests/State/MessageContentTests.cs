using Enigm.Client.Content;
using Enigm.Crypto.Errors;
using Xunit;

namespace Enigm.Client.Tests.State;

public sealed class MessageContentTests
{
    private static readonly byte[] Id = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    [Fact]
    public void Round_trips_every_field()
    {
        var content = new MessageContent(Id, DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_123), "hi",
            new AttachmentReference(new string('b', 32), [1, 2], "a.txt"), new string('c', 64), new byte[32], [5]);
        var decoded = MessageContent.Decode(content.Encode());
        Assert.Equal(content.Text, decoded.Text);
        Assert.Equal(content.SentAt, decoded.SentAt);
        Assert.Equal(content.Attachment!.FileName, decoded.Attachment!.FileName);
        Assert.Equal(content.ToAccount, decoded.ToAccount);
        Assert.Equal(content.TreeHead, decoded.TreeHead);
    }

    [Fact]
    public void Refuses_truncated_content_and_trailing_bytes()
    {
        var encoded = new MessageContent(Id, DateTimeOffset.UnixEpoch, "hi", null, null, null, null).Encode();
        Assert.Throws<MalformedInputException>(() => MessageContent.Decode(encoded[..^1]));
        Assert.Throws<MalformedInputException>(() => MessageContent.Decode(encoded.Append((byte)0).ToArray()));
        Assert.Throws<MalformedInputException>(() => MessageContent.Decode(Array.Empty<byte>()));
    }

    [Fact]
    public void Refuses_a_short_message_id_and_oversized_text()
    {
        Assert.Throws<MalformedInputException>(() => MessageContent.Decode(new MessageContent(new byte[8], DateTimeOffset.UnixEpoch, null, null, null, null, null).Encode()));
        var big = new MessageContent(Id, DateTimeOffset.UnixEpoch, new string('x', MessageContent.MaxTextBytes + 1), null, null, null, null).Encode();
        Assert.Throws<MalformedInputException>(() => MessageContent.Decode(big));
    }

    [Fact]
    public void Refuses_a_time_before_1970_instead_of_clamping_it()
    {
        var negative = new MessageContent(Id, DateTimeOffset.UnixEpoch.AddMilliseconds(-1), null, null, null, null, null).Encode();
        Assert.Throws<MalformedInputException>(() => MessageContent.Decode(negative));
    }
}
