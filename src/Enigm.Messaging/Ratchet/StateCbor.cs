using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Messaging.Ratchet;

/// <summary>Field helpers for the serialised session state (deterministic CBOR, every length checked).</summary>
internal static class StateCbor
{
    public static void WriteOptional(CborWriter writer, byte[]? value)
    {
        if (value is null) writer.WriteNull();
        else writer.WriteByteString(value);
    }

    public static byte[]? ReadOptional(CborReader reader, int exactLength)
    {
        if (reader.PeekState() == CborReaderState.Null)
        {
            reader.ReadNull();
            return null;
        }

        return ReadExact(reader, exactLength);
    }

    public static byte[] ReadExact(CborReader reader, int exactLength)
    {
        var value = CanonicalCbor.ReadBytes(reader, exactLength);
        return value.Length == exactLength
            ? value
            : throw new MalformedInputException($"Session state field must be {exactLength} bytes, found {value.Length}.");
    }

    public static uint ReadUInt32(CborReader reader) => (uint)CanonicalCbor.ReadUInt(reader, uint.MaxValue);

    public static bool ReadBool(CborReader reader) => reader.ReadBoolean();
}
