using System.Formats.Cbor;
using Enigm.Client.Content;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Client.Groups;

/// <summary>
/// What a group message carries inside its sender-key encryption (deterministic CBOR):
/// <code>[1, group id (bstr 32), message id (bstr 16), sent at (ms), text / null, [relay id, pointer, file name] / null]</code>
/// The group id is repeated inside so a member cannot replay a message of one group into another, and the message id
/// so the relay cannot relabel it.
/// </summary>
internal sealed record GroupContent(byte[] GroupId, byte[] MessageId, DateTimeOffset SentAt, string? Text, AttachmentReference? Attachment)
{
    public const int Version = 1;
    public const int MaxEncodedSize = 128 * 1024;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(6);
        writer.WriteInt32(Version);
        writer.WriteByteString(GroupId);
        writer.WriteByteString(MessageId);
        writer.WriteInt64(SentAt.ToUnixTimeMilliseconds());
        if (Text is null) writer.WriteNull();
        else writer.WriteTextString(Text);
        if (Attachment is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteStartArray(3);
            writer.WriteTextString(Attachment.RelayId);
            writer.WriteByteString(Attachment.Pointer);
            writer.WriteTextString(Attachment.FileName);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        return writer.Encode();
    }

    public static GroupContent Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 6);
            if (reader.ReadInt32() != Version) throw new MalformedInputException("This group content version is not supported.");
            var group = CanonicalCbor.ReadBytes(reader, 32);
            var id = CanonicalCbor.ReadBytes(reader, 16);
            if (group.Length != 32 || id.Length != 16) throw new MalformedInputException("A group id is 32 bytes and a message id 16.");
            var sentAtMs = reader.ReadInt64();
            if (sentAtMs is < 0 or > 253402300799999) throw new MalformedInputException("A message's time is outside 1970..9999.");
            string? text = null;
            if (reader.PeekState() == CborReaderState.Null) reader.ReadNull();
            else text = CanonicalCbor.ReadText(reader, MessageContent.MaxTextBytes);
            AttachmentReference? attachment = null;
            if (reader.PeekState() == CborReaderState.Null)
            {
                reader.ReadNull();
            }
            else
            {
                CanonicalCbor.ReadArrayStart(reader, 3);
                attachment = new AttachmentReference(
                    CanonicalCbor.ReadText(reader, 64),
                    CanonicalCbor.ReadBytes(reader, Messaging.Attachments.AttachmentPointerEncoding.MaxEncodedSize),
                    CanonicalCbor.ReadText(reader, 255));
                reader.ReadEndArray();
            }

            reader.ReadEndArray();
            return new GroupContent(group, id, DateTimeOffset.FromUnixTimeMilliseconds(sentAtMs), text, attachment);
        });
}
