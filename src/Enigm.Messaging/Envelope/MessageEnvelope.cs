using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Trust.Accounts;

namespace Enigm.Messaging.Envelope;

/// <summary>What an envelope's payload is. Values are never reused.</summary>
public enum EnvelopeContent : byte
{
    /// <summary>A <see cref="SealedSender.SealedSenderLayer"/>: the only kind a client sends to another account's devices.</summary>
    SealedSender = 1,
}

/// <summary>
/// What a relay stores and forwards for one recipient device, and all it learns: the recipient device, the
/// payload's size and a time. Deterministic CBOR
/// <c>[version, suite, type, recipient account (32), recipient device id, timestamp (unix ms), content kind, payload]</c>,
/// with a limit on every field; 60 to 130 bytes of framing around the payload.
/// </summary>
public sealed record MessageEnvelope(
    Suite Suite,
    AccountFingerprint RecipientAccount,
    string RecipientDeviceId,
    DateTimeOffset Timestamp,
    EnvelopeContent Content,
    byte[] Payload)
{
    /// <summary>Largest payload: a sealed-sender layer at its own limit.</summary>
    public const int MaxPayloadSize = SealedSender.SealedSenderLayer.MaxEncodedSize;

    public const int MaxEncodedSize = MaxPayloadSize + 256;

    private const int Items = 8;

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public byte[] Encode()
    {
        if (Payload.Length > MaxPayloadSize) throw new MessageTooLargeException(Payload.Length, MaxPayloadSize);
        if (RecipientDeviceId.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(RecipientDeviceId) > IdentityBody.MaxDeviceIdLength)
            throw new ArgumentException($"A device id is 1 to {IdentityBody.MaxDeviceIdLength} UTF-8 bytes.", nameof(RecipientDeviceId));
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(Items);
        FormatHeader.For(Suite, ObjectType.Envelope).WriteTo(writer);
        writer.WriteByteString(RecipientAccount.Bytes);
        writer.WriteTextString(RecipientDeviceId);
        writer.WriteUInt64((ulong)Math.Clamp(Timestamp.ToUnixTimeMilliseconds(), 0, MaxUnixMilliseconds));
        writer.WriteUInt32((byte)Content);
        writer.WriteByteString(Payload);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Structural decode; typed errors (<see cref="MalformedInputException"/> and the suite/version errors).</summary>
    public static MessageEnvelope Decode(ReadOnlyMemory<byte> encoded, SuitePolicy? policy = null)
    {
        policy ??= SuitePolicy.Default;
        return CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, Items);
            var header = FormatHeader.Read(reader, ObjectType.Envelope, policy);
            var account = new AccountFingerprint(MessagingCbor.ReadExact(reader, AccountFingerprint.Length, "recipient account"));
            var deviceId = CanonicalCbor.ReadText(reader, IdentityBody.MaxDeviceIdLength);
            if (deviceId.Length == 0) throw new MalformedInputException("The recipient device id is empty.");
            var timestamp = MessagingCbor.ReadTimestamp(reader);
            var content = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
            if (!Enum.IsDefined((EnvelopeContent)content))
                throw new MalformedInputException($"Unknown envelope content kind {content}.");
            var payload = CanonicalCbor.ReadBytes(reader, MaxPayloadSize);
            reader.ReadEndArray();
            return new MessageEnvelope(policy.Require(header.SuiteId), account, deviceId, timestamp, (EnvelopeContent)content, payload);
        });
    }

    public override string ToString() =>
        $"MessageEnvelope(to {RecipientAccount.Hex[..16]}…/{RecipientDeviceId}, {Content}, {Payload.Length} bytes, {Timestamp:O})";
}
