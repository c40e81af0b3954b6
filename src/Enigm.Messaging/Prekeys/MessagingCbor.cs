using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Messaging.Prekeys;

/// <summary>Strict readers shared by the messaging formats, on top of <see cref="CanonicalCbor"/>.</summary>
internal static class MessagingCbor
{
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>A byte string of exactly <paramref name="length"/> bytes.</summary>
    public static byte[] ReadExact(CborReader reader, int length, string what)
    {
        var value = CanonicalCbor.ReadBytes(reader, length);
        return value.Length == length
            ? value
            : throw new MalformedInputException($"The {what} has {value.Length} bytes; expected {length}.");
    }

    public static DateTimeOffset ReadTimestamp(CborReader reader) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)CanonicalCbor.ReadUInt(reader, (ulong)MaxUnixMilliseconds));

    public static uint ReadId(CborReader reader) => (uint)CanonicalCbor.ReadUInt(reader, uint.MaxValue);

    /// <summary>An array header with at most <paramref name="max"/> items.</summary>
    public static int ReadArrayUpTo(CborReader reader, int max, string what)
    {
        var length = reader.ReadStartArray();
        if (length is null || length > max)
            throw new MalformedInputException($"The {what} list has {length?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "an indefinite number of"} items; at most {max} are allowed.");
        return length.Value;
    }

    /// <summary>Domain label ‖ binary format header ‖ body: what a messaging signature covers.</summary>
    public static byte[] SignedMessage(ReadOnlySpan<byte> label, FormatHeader header, ReadOnlySpan<byte> body)
    {
        var message = new byte[label.Length + FormatHeader.BinarySize + body.Length];
        label.CopyTo(message);
        header.WriteTo(message.AsSpan(label.Length));
        body.CopyTo(message.AsSpan(label.Length + FormatHeader.BinarySize));
        return message;
    }
}
