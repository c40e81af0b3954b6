using System.Formats.Cbor;
using Enigm.Crypto.Errors;

namespace Enigm.Crypto.Encoding;

/// <summary>
/// Deterministic CBOR (RFC 8949 4.2 core deterministic encoding, System.Formats.Cbor canonical mode)
/// with strict decoding: input over the size limit, non-canonical encodings (non-shortest integers and
/// lengths, indefinite lengths, unsorted or duplicate map keys), wrong types and trailing bytes are all
/// rejected with <see cref="MalformedInputException"/>.
/// </summary>
public static class CanonicalCbor
{
    /// <summary>Default ceiling for one decoded object.</summary>
    public const int DefaultMaxSize = 1 << 20;

    public static CborWriter CreateWriter() =>
        new(CborConformanceMode.Canonical, convertIndefiniteLengthEncodings: false, allowMultipleRootLevelValues: false);

    /// <summary>Decodes one complete object with <paramref name="read"/>, translating every decoder failure.</summary>
    public static T Decode<T>(ReadOnlyMemory<byte> data, int maxSize, Func<CborReader, T> read)
    {
        if (data.Length > maxSize)
            throw new MalformedInputException($"Input of {data.Length} bytes exceeds the {maxSize}-byte limit.");
        if (data.IsEmpty)
            throw new MalformedInputException("Input is empty.");

        var reader = new CborReader(data, CborConformanceMode.Canonical, allowMultipleRootLevelValues: false);
        try
        {
            var value = read(reader);
            if (reader.BytesRemaining != 0)
                throw new MalformedInputException($"{reader.BytesRemaining} trailing bytes after the object.");
            return value;
        }
        catch (CborContentException e)
        {
            throw new MalformedInputException($"Invalid or non-canonical CBOR: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // System.Formats.Cbor reports "wrong major type here" and similar as InvalidOperationException.
            throw new MalformedInputException($"Unexpected CBOR structure: {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new MalformedInputException("CBOR integer out of range.", e);
        }
    }

    /// <summary>Reads a definite-length array header and checks its length.</summary>
    public static void ReadArrayStart(CborReader reader, int expectedLength)
    {
        var length = reader.ReadStartArray();
        if (length != expectedLength)
            throw new MalformedInputException($"Expected an array of {expectedLength} items, found {length?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "indefinite"}.");
    }

    /// <summary>Reads a byte string no longer than <paramref name="maxLength"/>.</summary>
    public static byte[] ReadBytes(CborReader reader, int maxLength)
    {
        var value = reader.ReadByteString();
        return value.Length <= maxLength
            ? value
            : throw new MalformedInputException($"Byte string of {value.Length} bytes exceeds {maxLength}.");
    }

    /// <summary>Reads a text string no longer than <paramref name="maxLength"/> UTF-8 bytes (the whole input is already size-bounded).</summary>
    public static string ReadText(CborReader reader, int maxLength)
    {
        var value = reader.ReadTextString();
        return System.Text.Encoding.UTF8.GetByteCount(value) <= maxLength
            ? value
            : throw new MalformedInputException($"Text string exceeds {maxLength} bytes.");
    }

    /// <summary>Reads an unsigned integer no greater than <paramref name="max"/>.</summary>
    public static ulong ReadUInt(CborReader reader, ulong max)
    {
        var value = reader.ReadUInt64();
        return value <= max ? value : throw new MalformedInputException($"Integer {value} exceeds {max}.");
    }
}
