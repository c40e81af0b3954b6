namespace Enigm.Crypto.Providers.Signatures;

/// <summary>NIST P-384 constants (FIPS 186-5 / SP 800-186 §3.2.1.4) and the SEC1 encodings Enigm uses.</summary>
internal static class P384
{
    public const int FieldSize = 48;

    /// <summary>SEC1 §2.3.3 uncompressed point: 0x04 ‖ X ‖ Y.</summary>
    public const int UncompressedPointSize = 1 + (2 * FieldSize);

    /// <summary>Order n of the base point.</summary>
    public static ReadOnlySpan<byte> Order =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
        0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
    ];

    /// <summary>SEC1 §3.2.1: a private scalar d must satisfy 1 ≤ d ≤ n − 1 (48 bytes, big-endian).</summary>
    public static bool IsValidScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != FieldSize) return false;
        var nonZero = 0;
        foreach (var b in scalar) nonZero |= b;
        return nonZero != 0 && scalar.SequenceCompareTo(Order) < 0;
    }
}
