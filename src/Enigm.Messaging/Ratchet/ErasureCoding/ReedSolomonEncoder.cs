using System.Buffers.Binary;

namespace Enigm.Messaging.Ratchet.ErasureCoding;

/// <summary>
/// The sending side of <see cref="ReedSolomonErasureCode"/> for one item, built once per item and then asked
/// for chunk after chunk (SPQR sends one chunk per message for as long as an item is in flight, §5). The
/// evaluation points of an item's own chunks are always 0..N-1, so everything that depends only on them is
/// computed here once: each Lagrange denominator Π_{m≠k}(k − m) and the logarithm of every symbol of the
/// item. A parity chunk then costs O(N) for its weights plus N·16 table look-ups, instead of the O(N²)
/// weights and N·16 logarithms of computing it from scratch (docs/benchmarks.md, "Triple Ratchet").
/// The output is identical to the from-scratch definition; tests compare them chunk by chunk.
/// <para>
/// Those tables are built at the first parity chunk, not with the encoder: an item's first N chunks are copies of
/// the item, and an ek ‖ MAC item of ML-KEM-768 is 38 chunks, so the first 38 messages of an epoch (and a first
/// message always) never need them (≈ 2.5 µs saved on a first message, docs/benchmarks.md, "Fifth pass").
/// </para>
/// </summary>
internal sealed class ReedSolomonEncoder
{
    private const int ChunkSize = ReedSolomonErasureCode.ChunkSize;
    private const int Symbols = ReedSolomonErasureCode.SymbolsPerChunk;
    private const int Zero = -1;

    private readonly byte[] _padded;
    private (int[] SymbolLogs, int[] DenominatorLogs)? _parityTables;

    public ReedSolomonEncoder(ReadOnlySpan<byte> item)
    {
        ChunkCount = ReedSolomonErasureCode.ChunkCount(item.Length);
        _padded = new byte[ChunkCount * ChunkSize];
        item.CopyTo(_padded);
    }

    public int ChunkCount { get; }

    /// <summary>Chunk <paramref name="index"/>: a copy of the item's own chunk below N, a parity chunk from N on.</summary>
    public byte[] Encode(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, ReedSolomonErasureCode.MaxChunkIndex);
        var chunk = new byte[ChunkSize];
        if (index < ChunkCount)
        {
            _padded.AsSpan(index * ChunkSize, ChunkSize).CopyTo(chunk);
            return chunk;
        }

        var (symbolLogs, denominatorLogs) = _parityTables ??= ParityTables();
        // w_k = Π_{m≠k}(x − m) / Π_{m≠k}(k − m), in logarithms; x ≥ N is never a point, so no factor is zero.
        var x = (ushort)index;
        var numeratorLog = 0;
        for (var m = 0; m < ChunkCount; m++) numeratorLog += Gf65536.LogOf((ushort)(x ^ m));
        var exp = Gf65536.ExpTable;
        Span<int> accumulator = stackalloc int[Symbols];
        accumulator.Clear();
        for (var k = 0; k < ChunkCount; k++)
        {
            var weightLog = numeratorLog - Gf65536.LogOf((ushort)(x ^ k)) - denominatorLogs[k];
            weightLog = ((weightLog % Gf65536.Order) + Gf65536.Order) % Gf65536.Order;
            var logs = symbolLogs.AsSpan(k * Symbols, Symbols);
            for (var s = 0; s < Symbols; s++)
                if (logs[s] != Zero) accumulator[s] ^= exp[logs[s] + weightLog];
        }

        for (var s = 0; s < Symbols; s++) BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(2 * s), (ushort)accumulator[s]);
        return chunk;
    }

    /// <summary>The logarithm of every symbol of the item and each Lagrange denominator, computed at the first parity chunk.</summary>
    private (int[] SymbolLogs, int[] DenominatorLogs) ParityTables()
    {
        var symbolLogs = new int[ChunkCount * Symbols];
        for (var i = 0; i < symbolLogs.Length; i++)
        {
            var symbol = BinaryPrimitives.ReadUInt16BigEndian(_padded.AsSpan(2 * i));
            symbolLogs[i] = symbol == 0 ? Zero : Gf65536.LogOf(symbol);
        }

        var denominatorLogs = new int[ChunkCount];
        for (var k = 0; k < ChunkCount; k++)
        {
            var log = 0;
            for (var m = 0; m < ChunkCount; m++)
                if (m != k) log += Gf65536.LogOf((ushort)(k ^ m));
            denominatorLogs[k] = log % Gf65536.Order;
        }

        return (symbolLogs, denominatorLogs);
    }
}
