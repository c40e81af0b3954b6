namespace Enigm.Trust.Transparency;

/// <summary>
/// <see cref="ITransparencyLogStore"/> in memory: each level is a list of fixed-size chunks (16,384
/// hashes, 512 KiB), so growth never copies what is stored and a 10-million-leaf tree takes about
/// 640 MB (320 MB of leaf hashes plus as much again for the levels above). Not thread-safe on its own:
/// <see cref="TransparencyLog"/> serialises access.
/// </summary>
public sealed class InMemoryTransparencyLogStore : ITransparencyLogStore
{
    private const int ChunkShift = 14;
    private const int ChunkHashes = 1 << ChunkShift;
    private const int ChunkMask = ChunkHashes - 1;
    private const int H = MerkleHashing.HashSize;

    private readonly List<Level> _levels = [];

    public long Size => _levels.Count == 0 ? 0 : _levels[0].Count;

    public void Append(ReadOnlySpan<byte> newNodes, int count)
    {
        if (count < 1 || newNodes.Length != count * H)
            throw new ArgumentException("Expected the leaf hash and the completed subtree hashes, 32 bytes each.", nameof(newNodes));
        for (var level = 0; level < count; level++)
        {
            if (level == _levels.Count) _levels.Add(new Level());
            _levels[level].Add(newNodes.Slice(level * H, H));
        }
    }

    public void ReadNode(int level, long index, Span<byte> destination)
    {
        if (level < 0 || level >= _levels.Count || index < 0 || index >= _levels[level].Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"No node ({level}, {index}) in the tree.");
        _levels[level].Read(index, destination);
    }

    private sealed class Level
    {
        private readonly List<byte[]> _chunks = [];

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<byte> hash)
        {
            var offset = (int)(Count & ChunkMask);
            if (offset == 0) _chunks.Add(new byte[16 * H]);
            if ((offset + 1) * H > _chunks[^1].Length)
            {
                // Small trees stay small: a chunk doubles up to its full size before the next one starts.
                var grown = _chunks[^1];
                Array.Resize(ref grown, Math.Min(grown.Length * 2, ChunkHashes * H));
                _chunks[^1] = grown;
            }

            hash.CopyTo(_chunks[^1].AsSpan(offset * H, H));
            Count++;
        }

        public void Read(long index, Span<byte> destination) =>
            _chunks[(int)(index >> ChunkShift)].AsSpan((int)(index & ChunkMask) * H, H).CopyTo(destination);
    }
}
