using System.Buffers;
using Enigm.Crypto.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>Lower-case hex as TUF metadata writes it (keyval.public, sig, hashes).</summary>
internal static class Hex
{
    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    public static bool TryDecodeLower(string hex, out byte[] bytes)
    {
        bytes = [];
        if (hex.Length % 2 != 0) return false;
        foreach (var c in hex)
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        bytes = Convert.FromHexString(hex);
        return true;
    }

    public static byte[] DecodeLower(string hex, string what) =>
        TryDecodeLower(hex, out var bytes) ? bytes : throw new MalformedInputException($"{what} is not lower-case hex.");

    /// <summary>True when <paramref name="hex"/> is <paramref name="byteLength"/> bytes of lower-case hex (checked without decoding).</summary>
    public static bool IsLower(string hex, int byteLength) =>
        hex.Length == 2 * byteLength && !hex.AsSpan().ContainsAnyExcept(LowerHexDigits);
}
