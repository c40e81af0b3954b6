using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Prekeys;

/// <summary>
/// Checks and encodes the X25519 public keys PQXDH uses (identity, signed, one-time and ephemeral keys).
/// RFC 7748 5 lets a receiver accept any 32 bytes; PQXDH hashes keys into AD and KDF, so Enigm accepts one
/// encoding per point only (u below p = 2^255-19, top bit clear) and refuses the low-order points outright
/// (RFC 7748 7; the agreement's all-zero check would catch them later, this names the fault at parse time).
/// </summary>
public static class X25519PublicKeys
{
    public const int Size = 32;

    /// <summary>PQXDH 2.1 EncodeEC: one byte naming the curve, then the little-endian u-coordinate.</summary>
    public const byte EncodeEcType = 0x05;

    public const int EncodedSize = 1 + Size;

    // The canonical low-order u-coordinates on Curve25519 and its twist (order 1, 2, 4 and 8): 0, 1, p-1 and
    // the two points of order 8. Every other low-order encoding is non-canonical and refused before this list.
    private static readonly byte[][] LowOrderPoints =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
    ];

    /// <summary>Throws <see cref="SetupKeyInvalidException"/> unless <paramref name="key"/> is a canonical, not low-order X25519 key.</summary>
    public static void Check(ReadOnlySpan<byte> key, string what)
    {
        if (key.Length != Size)
            throw new SetupKeyInvalidException($"The {what} is {key.Length} bytes; an X25519 key is {Size}.");
        if (!IsCanonical(key))
            throw new SetupKeyInvalidException($"The {what} is not a canonical X25519 encoding (u must be below 2^255-19).");
        foreach (var point in LowOrderPoints)
        {
            if (key.SequenceEqual(point))
                throw new SetupKeyInvalidException($"The {what} is a low-order X25519 point.");
        }
    }

    /// <summary>True when the top bit is clear and the little-endian value is below p = 2^255-19.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> key)
    {
        if (key.Length != Size || (key[31] & 0x80) != 0) return false;
        if (key[31] != 0x7f) return true;
        for (var i = 30; i >= 1; i--)
        {
            if (key[i] != 0xff) return true;
        }

        return key[0] < 0xed;
    }

    /// <summary>PQXDH 2.1 EncodeEC(key).</summary>
    public static void EncodeEc(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        destination[0] = EncodeEcType;
        key.CopyTo(destination[1..]);
    }
}
