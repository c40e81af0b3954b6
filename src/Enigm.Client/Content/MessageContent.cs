using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Client.Content;

/// <summary>An attachment inside a message: where the relay holds its ciphertext, the C2SP pointer (key, digest, length, type) and a file name.</summary>
internal sealed record AttachmentReference(string RelayId, byte[] Pointer, string FileName);

/// <summary>
/// What one message carries inside the end-to-end encrypted session (deterministic CBOR):
/// <code>
/// [1, message id (bstr 16), sent at (ms), text / null, [relay id, pointer, file name] / null,
///  recipient account (hex, own-device copies) / null, delivery token (bstr) / null, signed tree head (bstr) / null]
/// </code>
/// The message id is repeated here so a relay cannot splice ids between messages; the delivery token is how an
/// account hands its contacts the unidentified-access token (Signal's sealed sender); the tree head is the sender's
/// newest verified transparency head, gossiped so forked views meet (RFC 9162 §8.1.4 gossip; DESIGN.md "Device-bound trust").
/// </summary>
internal sealed record MessageContent(
    byte[] MessageId,
    DateTimeOffset SentAt,
    string? Text,
    AttachmentReference? Attachment,
    string? ToAccount,
    byte[]? DeliveryToken,
    byte[]? TreeHead)
{
    public const int Version = 1;
    public const int MaxTextBytes = 64 * 1024;
    public const int MaxEncodedSize = 128 * 1024;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(8);
        writer.WriteInt32(Version);
        writer.WriteByteString(MessageId);
        writer.WriteInt64(SentAt.ToUnixTimeMilliseconds());
        WriteText(writer, Text);
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

        WriteText(writer, ToAccount);
        WriteBytes(writer, DeliveryToken);
        WriteBytes(writer, TreeHead);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Decodes decrypted content with a limit on every field (<see cref="MalformedInputException"/>).</summary>
    public static MessageContent Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 8);
            var version = reader.ReadInt32();
            if (version != Version) throw new MalformedInputException($"Message content version {version} is not supported.");
            var id = CanonicalCbor.ReadBytes(reader, 16);
            if (id.Length != 16) throw new MalformedInputException("A message id is 16 bytes.");
            var sentAtMs = reader.ReadInt64();
            if (sentAtMs is < 0 or > 253402300799999) throw new MalformedInputException("A message's time is outside 1970..9999.");
            var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(sentAtMs);
            var text = ReadText(reader, MaxTextBytes);
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

            var to = ReadText(reader, 64);
            var token = ReadBytes(reader, 64);
            var head = ReadBytes(reader, Trust.Transparency.SignedTreeHead.MaxEncodedSize);
            reader.ReadEndArray();
            return new MessageContent(id, sentAt, text, attachment, to, token, head);
        });

    private static void WriteText(CborWriter writer, string? value)
    {
        if (value is null) writer.WriteNull();
        else writer.WriteTextString(value);
    }

    private static void WriteBytes(CborWriter writer, byte[]? value)
    {
        if (value is null) writer.WriteNull();
        else writer.WriteByteString(value);
    }

    private static string? ReadText(CborReader reader, int max)
    {
        if (reader.PeekState() != CborReaderState.Null) return CanonicalCbor.ReadText(reader, max);
        reader.ReadNull();
        return null;
    }

    private static byte[]? ReadBytes(CborReader reader, int max)
    {
        if (reader.PeekState() != CborReaderState.Null) return CanonicalCbor.ReadBytes(reader, max);
        reader.ReadNull();
        return null;
    }
}
