namespace Enigm.Messaging.Ratchet.ErasureCoding;

/// <summary>
/// Arithmetic in GF(2^16) = GF(2)[x] / (x^16 + x^12 + x^3 + x + 1), the field SPQR's erasure code works
/// over (Double Ratchet §5, ML-KEM Braid "Erasure codes"). Addition is XOR; multiplication and
/// division go through log/antilog tables built once (the modulus is primitive, so x generates the
/// multiplicative group of order 65535; a test checks that every non-zero element appears once).
/// </summary>
internal static class Gf65536
{
    public const int Order = 65535;
    private const int Modulus = 0x1100B;

    private static readonly ushort[] Exp = BuildExp();
    private static readonly int[] Log = BuildLog(Exp);

    /// <summary>x^i for i in [0, 2·Order), so a sum of two logs needs no reduction.</summary>
    internal static ReadOnlySpan<ushort> ExpTable => Exp;

    public static ushort Multiply(ushort a, ushort b) =>
        a == 0 || b == 0 ? (ushort)0 : Exp[Log[a] + Log[b]];

    public static int LogOf(ushort a) =>
        a != 0 ? Log[a] : throw new DivideByZeroException("log(0) is undefined in GF(2^16).");

    public static ushort FromLog(int log) => Exp[((log % Order) + Order) % Order];

    private static ushort[] BuildExp()
    {
        var exp = new ushort[2 * Order];
        var value = 1;
        for (var i = 0; i < Order; i++)
        {
            exp[i] = (ushort)value;
            exp[i + Order] = (ushort)value;
            value <<= 1;
            if ((value & 0x10000) != 0) value ^= Modulus;
        }

        return exp;
    }

    private static int[] BuildLog(ushort[] exp)
    {
        var log = new int[Order + 1];
        for (var i = 0; i < Order; i++) log[exp[i]] = i;
        return log;
    }
}
