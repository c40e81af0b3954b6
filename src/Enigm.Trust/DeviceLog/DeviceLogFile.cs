using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Trust.Errors;

namespace Enigm.Trust.DeviceLog;

/// <summary>
/// A device log as one file or message (what <c>enigm trust verify-log</c> reads): deterministic CBOR
/// <c>["enigm-device-log", [entry (bstr), …]]</c>. Decoding checks the size limits first
/// (<see cref="DeviceLogTooLargeException"/>), then the structure (<see cref="MalformedInputException"/>);
/// the entries themselves are checked by <see cref="DeviceLogVerifier"/>.
/// </summary>
public static class DeviceLogFile
{
    public const string Magic = "enigm-device-log";

    /// <summary>Largest file for the given limits: every entry at its maximum plus framing.</summary>
    public static long MaxFileBytes(DeviceLogLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits.MaxLogBytes + (16L * limits.MaxEntries) + 64;
    }

    public static byte[] Encode(IReadOnlyList<byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(2);
        writer.WriteTextString(Magic);
        writer.WriteStartArray(entries.Count);
        foreach (var entry in entries) writer.WriteByteString(entry);
        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static IReadOnlyList<byte[]> Decode(byte[] file, DeviceLogLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        limits ??= DeviceLogLimits.Default;
        var max = MaxFileBytes(limits);
        if (file.Length > max)
            throw new DeviceLogTooLargeException(0, $"the file has {file.Length} bytes, over the {max}-byte limit");
        return CanonicalCbor.Decode(file, (int)Math.Min(max, int.MaxValue), reader => Read(reader, limits));
    }

    private static List<byte[]> Read(CborReader reader, DeviceLogLimits limits)
    {
        CanonicalCbor.ReadArrayStart(reader, 2);
        if (CanonicalCbor.ReadText(reader, Magic.Length) != Magic)
            throw new MalformedInputException("Not a device log file.");
        var count = reader.ReadStartArray() ?? throw new MalformedInputException("Indefinite entry array.");
        if (count > limits.MaxEntries)
            throw new DeviceLogTooLargeException(limits.MaxEntries, $"the file holds {count} entries, over the {limits.MaxEntries}-entry limit");
        var entries = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            // An oversized entry is left for the verifier to report with its sequence number.
            entries.Add(reader.ReadByteString());
        }

        reader.ReadEndArray();
        reader.ReadEndArray();
        return entries;
    }
}
