using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Messaging.Calls.Signals;

/// <summary>
/// A call signalling message: application content carried over the pairwise sessions like any other message, in
/// deterministic CBOR (RFC 8949 §4.2) <c>[version, type, call id, fields…]</c>. Decoding is strict (size limit,
/// canonical form, exact lengths) and rejects anything else with <see cref="MalformedInputException"/>; an
/// accepted message re-encodes to the same bytes, so the transcript hash both sides compute is over one encoding.
/// </summary>
public abstract record CallSignal(byte[] CallId)
{
    /// <summary>The largest signalling message: a rekey with a 64-member roster is about 2.5 KB.</summary>
    public const int MaxEncodedSize = 4096;

    public const int CallIdSize = 16;

    /// <summary>Size of an identity binding (SHA-256, <see cref="Prekeys.VerifiedIdentity.Binding"/>) and of a hash.</summary>
    public const int HashSize = 32;

    internal const int Version = 1;

    internal enum Kind
    {
        Offer = 1,
        Answer = 2,
        Rekey = 3,
        Leave = 4,
    }

    internal abstract Kind Type { get; }

    /// <summary>The message's encoding (what the pairwise session carries).</summary>
    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(3 + FieldCount);
        writer.WriteInt32(Version);
        writer.WriteInt32((int)Type);
        writer.WriteByteString(CallId);
        WriteFields(writer);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private protected abstract int FieldCount { get; }

    private protected abstract void WriteFields(CborWriter writer);

    /// <summary>Decodes any call signalling message; the caller switches on its type.</summary>
    public static CallSignal Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            var length = reader.ReadStartArray() ?? throw new MalformedInputException("A call signal must be a definite-length array.");
            if (CanonicalCbor.ReadUInt(reader, 255) != Version)
                throw new MalformedInputException("Unknown call signal version.");
            var type = (Kind)CanonicalCbor.ReadUInt(reader, 255);
            var callId = Prekeys.MessagingCbor.ReadExact(reader, CallIdSize, "call id");
            CallSignal signal = type switch
            {
                Kind.Offer => CallOffer.ReadFields(reader, callId, length - 3),
                Kind.Answer => CallAnswer.ReadFields(reader, callId, length - 3),
                Kind.Rekey => CallRekey.ReadFields(reader, callId, length - 3),
                Kind.Leave => CallLeave.ReadFields(reader, callId, length - 3),
                _ => throw new MalformedInputException($"Unknown call signal type {(int)type}."),
            };
            reader.ReadEndArray();
            return signal;
        });

    /// <summary>Decodes a message that must be of type <typeparamref name="T"/>.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> encoded)
        where T : CallSignal =>
        Decode(encoded) as T ?? throw new MalformedInputException($"The call signal is not a {typeof(T).Name}.");

    internal static void ExpectFields(int actual, int expected, string what)
    {
        if (actual != expected)
            throw new MalformedInputException($"A {what} has {expected} fields after its call id, not {actual}.");
    }

    /// <summary>SHA-256 of an encoded message (the answer names the offer by it).</summary>
    internal static byte[] Hash(ReadOnlySpan<byte> encoded) => SHA256.HashData(encoded);
}
