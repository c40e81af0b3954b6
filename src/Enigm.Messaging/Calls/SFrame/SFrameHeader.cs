using System.Buffers.Binary;
using System.Globalization;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// The SFrame header of RFC 9605 §4.3: a key id (KID) that selects the key and a counter (CTR) the nonce is
/// built from. Both are 64-bit unsigned integers. The first byte is the config byte <c>X|KKK|Y|CCC</c>: a value
/// below 8 sits in its 3-bit field with its flag clear; a larger one follows the config byte (KID first) as a
/// big-endian integer in the fewest bytes that hold it, the field holding that length minus one.
/// <para>
/// The header is the only part of a frame a media relay reads (docs/calls.md, "What the relay sees"):
/// <see cref="Read"/> never looks past the header and needs no key.
/// </para>
/// </summary>
public readonly record struct SFrameHeader(ulong Kid, ulong Counter)
{
    /// <summary>The longest header: the config byte, an 8-byte KID and an 8-byte CTR.</summary>
    public const int MaxEncodedSize = 17;

    private const byte ExtendedKidFlag = 0x80;
    private const byte ExtendedCounterFlag = 0x08;

    /// <summary>The length of this header's (shortest) encoding: 1 to 17 bytes.</summary>
    public int EncodedSize => 1 + ExtensionLength(Kid) + ExtensionLength(Counter);

    /// <summary>
    /// Writes the header at the start of <paramref name="destination"/> and returns its length. §4.3: a value
    /// of 8 or more "MUST be encoded with the minimum number of bytes required".
    /// </summary>
    public int WriteTo(Span<byte> destination)
    {
        var kidLength = ExtensionLength(Kid);
        var counterLength = ExtensionLength(Counter);
        var size = 1 + kidLength + counterLength;
        if (destination.Length < size)
            throw new ArgumentException($"The destination has {destination.Length} bytes; the header needs {size}.", nameof(destination));

        destination[0] = (byte)((Nibble(Kid, kidLength) << 4) | Nibble(Counter, counterLength));
        WriteBigEndian(Kid, destination.Slice(1, kidLength));
        WriteBigEndian(Counter, destination.Slice(1 + kidLength, counterLength));
        return size;
    }

    /// <summary>The header's encoding as a new array.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedSize];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>
    /// Reads the header at the start of <paramref name="frame"/> and returns it with its length in
    /// <paramref name="headerSize"/>; the rest of the frame is the AEAD output. Throws
    /// <see cref="SFrameHeaderInvalidException"/> when the frame ends inside the header or a KID or CTR is not
    /// in its shortest form: a conforming sender never writes one, and accepting two encodings of one
    /// (KID, CTR) would let a relay and a receiver disagree about what a frame names.
    /// </summary>
    public static SFrameHeader Read(ReadOnlySpan<byte> frame, out int headerSize) =>
        TryRead(frame, out var header, out headerSize, out var error)
            ? header
            : throw new SFrameHeaderInvalidException(error!);

    /// <summary>As <see cref="Read"/>, without throwing: for a relay that drops bad frames in a hot loop.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out SFrameHeader header, out int headerSize) =>
        TryRead(frame, out header, out headerSize, out _);

    private static bool TryRead(ReadOnlySpan<byte> frame, out SFrameHeader header, out int headerSize, out string? error)
    {
        header = default;
        headerSize = 0;
        if (frame.IsEmpty)
        {
            error = "The frame is empty: it has no SFrame header.";
            return false;
        }

        var config = frame[0];
        var kidExtended = (config & ExtendedKidFlag) != 0;
        var counterExtended = (config & ExtendedCounterFlag) != 0;
        var kidField = (config >> 4) & 0x07;
        var counterField = config & 0x07;
        var kidLength = kidExtended ? kidField + 1 : 0;
        var counterLength = counterExtended ? counterField + 1 : 0;
        var size = 1 + kidLength + counterLength;
        if (frame.Length < size)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"The frame ends inside its SFrame header ({frame.Length} of {size} bytes).");
            return false;
        }

        var kid = kidExtended ? ReadBigEndian(frame.Slice(1, kidLength)) : (ulong)kidField;
        var counter = counterExtended ? ReadBigEndian(frame.Slice(1 + kidLength, counterLength)) : (ulong)counterField;
        if (kidExtended && ExtensionLength(kid) != kidLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"The KID {kid} is encoded in {kidLength} bytes, not its shortest form (RFC 9605 §4.3).");
            return false;
        }

        if (counterExtended && ExtensionLength(counter) != counterLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"The counter {counter} is encoded in {counterLength} bytes, not its shortest form (RFC 9605 §4.3).");
            return false;
        }

        header = new SFrameHeader(kid, counter);
        headerSize = size;
        error = null;
        return true;
    }

    /// <summary>Bytes after the config byte: none below 8, else the shortest big-endian form.</summary>
    private static int ExtensionLength(ulong value) =>
        value < 8 ? 0 : 8 - (System.Numerics.BitOperations.LeadingZeroCount(value) / 8);

    private static int Nibble(ulong value, int extensionLength) =>
        extensionLength == 0 ? (int)value : 0x08 | (extensionLength - 1);

    private static void WriteBigEndian(ulong value, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(full, value);
        full[(8 - destination.Length)..].CopyTo(destination);
    }

    private static ulong ReadBigEndian(ReadOnlySpan<byte> source)
    {
        ulong value = 0;
        foreach (var b in source) value = (value << 8) | b;
        return value;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SFrame(KID {Kid}, CTR {Counter})");
}
