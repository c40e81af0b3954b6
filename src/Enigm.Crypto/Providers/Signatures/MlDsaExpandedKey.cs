using Enigm.Crypto.Errors;

namespace Enigm.Crypto.Providers.Signatures;

/// <summary>
/// Range check of an expanded FIPS 204 private key. skEncode (Algorithm 24) packs s1 and s2 with
/// BitPack(·, η, η), i.e. each coefficient c ∈ [−η, η] is stored as η − c ∈ [0, 2η] in bitlen(2η) bits.
/// skDecode (Algorithm 25) does not check that range itself ("if sk was not produced by KeyGen, the
/// values may be out of range"), and neither does BouncyCastle, so an altered sk would still sign.
/// This check refuses such keys before any library sees them.
/// </summary>
internal static class MlDsaExpandedKey
{
    private const int HeaderSize = 32 + 32 + 64; // ρ ‖ K ‖ tr

    public static void RequireInRange(ReadOnlySpan<byte> expandedPrivateKey, MlDsaParameterSet set)
    {
        // FIPS 204 Table 1: (k, ℓ, η) = (6, 5, 4) for ML-DSA-65 and (8, 7, 2) for ML-DSA-87.
        var (k, l, eta) = set.Algorithm.Name == "ML-DSA-65" ? (6, 5, 4) : (8, 7, 2);
        var bits = eta == 4 ? 4 : 3;
        var polyBytes = 256 * bits / 8;
        var packed = expandedPrivateKey.Slice(HeaderSize, (k + l) * polyBytes);
        var ok = bits == 4 ? NibblesAtMost(packed, 2 * eta) : TriplesAtMost(packed, 2 * eta);
        if (!ok)
            throw new InvalidKeyException($"{set.Name} expanded private key has s1/s2 coefficients outside [-η, η] (FIPS 204 Algorithm 25).");
    }

    private static bool NibblesAtMost(ReadOnlySpan<byte> packed, int max)
    {
        var bad = 0;
        foreach (var b in packed)
            bad |= (max - (b & 0x0f)) | (max - (b >> 4));
        return bad >= 0;
    }

    // BitPack with 3 bits: every 3 bytes hold 8 coefficients, least significant bits first.
    private static bool TriplesAtMost(ReadOnlySpan<byte> packed, int max)
    {
        var bad = 0;
        for (var i = 0; i + 3 <= packed.Length; i += 3)
        {
            var word = packed[i] | (packed[i + 1] << 8) | (packed[i + 2] << 16);
            for (var j = 0; j < 8; j++)
                bad |= max - ((word >> (3 * j)) & 7);
        }

        return bad >= 0;
    }
}
