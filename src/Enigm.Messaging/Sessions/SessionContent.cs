using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Messaging.SealedSender;
using Enigm.Messaging.Setup;

namespace Enigm.Messaging.Sessions;

/// <summary>
/// The two kinds of content a session puts inside a sealed-sender layer. Until the peer answers, every message
/// of an initiator carries the PQXDH initial message beside the ratchet message (libsignal's
/// <c>PreKeySignalMessage</c>; PQXDH 3.3: "Alice ... sends Bob an initial message"), so any of them, lost or
/// reordered, can set up Bob's session.
/// </summary>
internal static class SessionContent
{
    /// <summary>A ratchet message alone.</summary>
    public const byte RatchetMessage = 1;

    /// <summary>CBOR <c>[PQXDH initial message (bstr), ratchet message (bstr)]</c>.</summary>
    public const byte PrekeyMessage = 2;

    public static byte[] EncodePrekeyMessage(byte[] initialMessage, byte[] ratchetMessage)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(2);
        writer.WriteByteString(initialMessage);
        writer.WriteByteString(ratchetMessage);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static (byte[] InitialMessage, byte[] RatchetMessage) DecodePrekeyMessage(ReadOnlyMemory<byte> content) =>
        CanonicalCbor.Decode(content, SealedSenderLayer.MaxContentSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 2);
            var initial = CanonicalCbor.ReadBytes(reader, PqxdhInitialMessage.MaxEncodedSize);
            var message = CanonicalCbor.ReadBytes(reader, SealedSenderLayer.MaxContentSize);
            reader.ReadEndArray();
            return (initial, message);
        });
}

/// <summary>
/// A session kept only to read messages its peer sent on it (simultaneous initiation, or a replaced session with
/// messages still in flight): its ratchet state, the peer identity binding it was set up with, and the hash of
/// the initial message it was accepted from (null when this device initiated it).
/// </summary>
internal sealed record ArchivedSession(byte[] State, byte[] PeerBinding, byte[]? AcceptedInitialHash);

/// <summary>
/// What the session store keeps per peer device, deterministic CBOR
/// <c>[2, ratchet state, pending initial message or null, peer identity binding, accepted initial hash or null,
/// [archived sessions: [state, binding, accepted hash or null] …]]</c> (version 1, without the archive, still reads).
/// The pending initial message is the initiator's until the peer's first answer; the accepted hash is the
/// responder's, so later copies of the same initial message reuse the session instead of consuming prekeys again.
/// At most <see cref="MaxArchived"/> archived sessions are kept, newest first.
/// </summary>
internal sealed record SessionRecord(byte[] State, byte[]? PendingInitialMessage, byte[] PeerBinding, byte[]? AcceptedInitialHash)
{
    public const int MaxArchived = 2;
    private const int MaxEncodedSize = 1024 * 1024;
    private const int Version = 2;

    public IReadOnlyList<ArchivedSession> Archived { get; init; } = [];

    /// <summary>This record with <paramref name="session"/> archived in front, the oldest beyond the limit dropped.</summary>
    public SessionRecord WithArchived(ArchivedSession session) =>
        this with { Archived = [session, .. Archived.Take(MaxArchived - 1)] };

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(6);
        writer.WriteInt32(Version);
        writer.WriteByteString(State);
        WriteOptional(writer, PendingInitialMessage);
        writer.WriteByteString(PeerBinding);
        WriteOptional(writer, AcceptedInitialHash);
        writer.WriteStartArray(Archived.Count);
        foreach (var archived in Archived)
        {
            writer.WriteStartArray(3);
            writer.WriteByteString(archived.State);
            writer.WriteByteString(archived.PeerBinding);
            WriteOptional(writer, archived.AcceptedInitialHash);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static SessionRecord Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            var fields = reader.ReadStartArray();
            var version = CanonicalCbor.ReadUInt(reader, Version);
            if (!((version == 1 && fields == 5) || (version == Version && fields == 6)))
                throw new Crypto.Errors.MalformedInputException("Unknown session record version.");
            var state = CanonicalCbor.ReadBytes(reader, MaxEncodedSize);
            var pending = ReadOptional(reader, PqxdhInitialMessage.MaxEncodedSize);
            var binding = CanonicalCbor.ReadBytes(reader, 32);
            var accepted = ReadOptional(reader, 32);
            var archived = new List<ArchivedSession>();
            if (version == Version)
            {
                var count = reader.ReadStartArray() ?? 0;
                if (count > MaxArchived) throw new Crypto.Errors.MalformedInputException("Too many archived sessions in a session record.");
                for (var i = 0; i < count; i++)
                {
                    CanonicalCbor.ReadArrayStart(reader, 3);
                    archived.Add(new ArchivedSession(CanonicalCbor.ReadBytes(reader, MaxEncodedSize), CanonicalCbor.ReadBytes(reader, 32), ReadOptional(reader, 32)));
                    reader.ReadEndArray();
                }

                reader.ReadEndArray();
            }

            reader.ReadEndArray();
            return new SessionRecord(state, pending, binding, accepted) { Archived = archived };
        });

    private static void WriteOptional(CborWriter writer, byte[]? value)
    {
        if (value is null) writer.WriteNull();
        else writer.WriteByteString(value);
    }

    private static byte[]? ReadOptional(CborReader reader, int max)
    {
        if (reader.PeekState() != CborReaderState.Null) return CanonicalCbor.ReadBytes(reader, max);
        reader.ReadNull();
        return null;
    }
}
