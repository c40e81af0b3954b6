using System.Formats.Asn1;

namespace Enigm.Crypto.Providers.Signatures;

/// <summary>
/// Conversions between the two ECDSA signature encodings: IEEE P1363 r‖s (fixed-width big-endian
/// halves, what <see cref="Enigm.Crypto.Primitives.ISignatureScheme"/> uses for ECDSA) and the DER
/// <c>Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }</c> of RFC 3279 §2.2.3 (what the LAMPS
/// composite draft puts on the wire). Parsing is strict DER: minimal lengths and integers, no
/// negative values, no trailing bytes.
/// </summary>
internal static class EcdsaSignatureEncoding
{
    /// <summary>Strict DER → P1363. False for anything that is not canonical DER with 0 ≤ r, s &lt; 2^(8·fieldSize).</summary>
    public static bool TryDerToP1363(ReadOnlySpan<byte> der, int fieldSize, out byte[] p1363)
    {
        p1363 = [];
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            if (reader.HasData) return false;
            var r = sequence.ReadIntegerBytes();
            var s = sequence.ReadIntegerBytes();
            if (sequence.HasData) return false;
            var output = new byte[2 * fieldSize];
            if (!TryWriteUnsigned(r.Span, output.AsSpan(0, fieldSize)) || !TryWriteUnsigned(s.Span, output.AsSpan(fieldSize)))
                return false;
            p1363 = output;
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>P1363 r‖s → DER SEQUENCE of two INTEGERs.</summary>
    public static byte[] P1363ToDer(ReadOnlySpan<byte> p1363)
    {
        if (p1363.Length % 2 != 0 || p1363.IsEmpty)
            throw new ArgumentException("P1363 signature must have two equal halves.", nameof(p1363));
        var half = p1363.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(TrimLeadingZeros(p1363[..half]));
            writer.WriteIntegerUnsigned(TrimLeadingZeros(p1363[half..]));
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        return value[start..];
    }

    // The DER reader has already enforced minimal two's-complement encoding; here we refuse negative
    // values and values wider than the field, then left-pad to the fixed width.
    private static bool TryWriteUnsigned(ReadOnlySpan<byte> twosComplement, Span<byte> destination)
    {
        if (twosComplement.IsEmpty || (twosComplement[0] & 0x80) != 0) return false;
        var magnitude = twosComplement[0] == 0 ? twosComplement[1..] : twosComplement;
        if (magnitude.Length > destination.Length) return false;
        destination.Clear();
        magnitude.CopyTo(destination[(destination.Length - magnitude.Length)..]);
        return true;
    }
}
