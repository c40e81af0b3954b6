using System.Buffers.Binary;
using Enigm.Crypto.Errors;

namespace Enigm.Messaging.Ratchet.ErasureCoding;

/// <summary>
/// A systematic Reed–Solomon erasure code over GF(2^16), as SPQR uses to spread an item over many
/// messages (Double Ratchet §5; ML-KEM Braid "Erasure codes"). An item of N chunks is read as
/// <see cref="SymbolsPerChunk"/> stripes; stripe s is the polynomial P_s of degree &lt; N with
/// P_s(i) = symbol s of data chunk i (i &lt; N). Chunk j of the code is (P_s(j))_s, so chunks 0..N-1 are the
/// item itself (systematic) and every later index is parity. Any N chunks with distinct indices
/// determine every P_s (Lagrange interpolation), so any N of them rebuild the item.
/// </summary>
internal static class ReedSolomonErasureCode
{
    public const int ChunkSize = 32;
    public const int SymbolsPerChunk = ChunkSize / 2;

    /// <summary>Indices are field elements; 0..65535 are all distinct.</summary>
    public const int MaxChunkIndex = ushort.MaxValue;

    public static int ChunkCount(int itemLength) => (itemLength + ChunkSize - 1) / ChunkSize;

    /// <summary>Chunk <paramref name="index"/> of <paramref name="item"/> (zero-padded to whole chunks).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> item, int index) => new ReedSolomonEncoder(item).Encode(index);

    /// <summary>
    /// Rebuilds an item of <paramref name="itemLength"/> bytes from exactly ChunkCount(itemLength)
    /// chunks with distinct indices. Throws <see cref="MalformedInputException"/> otherwise.
    /// </summary>
    public static byte[] Decode(IReadOnlyList<(int Index, byte[] Chunk)> chunks, int itemLength)
    {
        var n = ChunkCount(itemLength);
        if (chunks.Count != n)
            throw new MalformedInputException($"Need exactly {n} chunks to rebuild the item, got {chunks.Count}.");
        var points = new ushort[n];
        var data = new byte[n * ChunkSize];
        var seen = new HashSet<int>();
        for (var k = 0; k < n; k++)
        {
            var (index, chunk) = chunks[k];
            if (index is < 0 or > MaxChunkIndex || chunk.Length != ChunkSize || !seen.Add(index))
                throw new MalformedInputException("Chunks must have distinct valid indices and the chunk size.");
            points[k] = (ushort)index;
            chunk.CopyTo(data, k * ChunkSize);
        }

        var item = new byte[n * ChunkSize];
        for (var target = 0; target < n; target++)
        {
            var direct = Array.IndexOf(points, (ushort)target);
            if (direct >= 0)
            {
                data.AsSpan(direct * ChunkSize, ChunkSize).CopyTo(item.AsSpan(target * ChunkSize));
                continue;
            }

            Combine(data, LagrangeWeights(points, (ushort)target), item.AsSpan(target * ChunkSize, ChunkSize));
        }

        return item.AsSpan(0, itemLength).ToArray();
    }

    /// <summary>
    /// w_k = Π_{m≠k} (x - p_m) / (p_k - p_m), so P(x) = Σ_k w_k·P(p_k); in characteristic 2 subtraction is XOR.
    /// Returned as logarithms (int.MinValue for a zero weight, which only happens when x is a point).
    /// </summary>
    private static int[] LagrangeWeights(ushort[] points, ushort x)
    {
        var n = points.Length;
        var numeratorLog = 0;
        for (var m = 0; m < n; m++) numeratorLog += Gf65536.LogOf((ushort)(x ^ points[m]));

        var weights = new int[n];
        for (var k = 0; k < n; k++)
        {
            var denominatorLog = 0;
            for (var m = 0; m < n; m++)
                if (m != k) denominatorLog += Gf65536.LogOf((ushort)(points[k] ^ points[m]));
            // Numerator without its (x - p_k) factor.
            var log = numeratorLog - Gf65536.LogOf((ushort)(x ^ points[k])) - denominatorLog;
            weights[k] = ((log % Gf65536.Order) + Gf65536.Order) % Gf65536.Order;
        }

        return weights;
    }

    private static void Combine(ReadOnlySpan<byte> chunks, int[] weightLogs, Span<byte> output)
    {
        var exp = Gf65536.ExpTable;
        Span<ushort> accumulator = stackalloc ushort[SymbolsPerChunk];
        accumulator.Clear();
        for (var k = 0; k < weightLogs.Length; k++)
        {
            var weightLog = weightLogs[k];
            var chunk = chunks.Slice(k * ChunkSize, ChunkSize);
            for (var s = 0; s < SymbolsPerChunk; s++)
            {
                var symbol = BinaryPrimitives.ReadUInt16BigEndian(chunk[(2 * s)..]);
                if (symbol != 0) accumulator[s] ^= exp[Gf65536.LogOf(symbol) + weightLog];
            }
        }

        for (var s = 0; s < SymbolsPerChunk; s++) BinaryPrimitives.WriteUInt16BigEndian(output[(2 * s)..], accumulator[s]);
    }
}
