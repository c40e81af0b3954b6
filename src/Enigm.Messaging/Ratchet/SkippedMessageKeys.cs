using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Enigm.Messaging.Ratchet;

/// <summary>
/// Which chain a skipped key belongs to: a classical receiving chain (named by the sender's ratchet
/// public key, §3.2 MKSKIPPED) or a post-quantum epoch chain (named by its epoch).
/// </summary>
internal readonly record struct SkippedKeyId(bool PostQuantum, UInt128 ChainHigh, UInt128 ChainLow, ulong Number)
{
    public static SkippedKeyId Classical(ReadOnlySpan<byte> ratchetPublicKey, ulong number) =>
        new(false, BinaryPrimitives.ReadUInt128BigEndian(ratchetPublicKey[..16]), BinaryPrimitives.ReadUInt128BigEndian(ratchetPublicKey[16..32]), number);

    public static SkippedKeyId Quantum(ulong epoch, ulong number) => new(true, 0, epoch, number);

    /// <summary>The 32-byte chain name: the ratchet public key, or the epoch (big-endian) for a post-quantum chain.</summary>
    public byte[] ChainBytes()
    {
        var bytes = new byte[32];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, ChainHigh);
        BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(16), ChainLow);
        return bytes;
    }

    public static SkippedKeyId FromChainBytes(bool postQuantum, ReadOnlySpan<byte> chain, ulong number) =>
        new(postQuantum, BinaryPrimitives.ReadUInt128BigEndian(chain[..16]), BinaryPrimitives.ReadUInt128BigEndian(chain[16..32]), number);
}

/// <summary>
/// The keys of messages skipped over (§2.6, §3.5), oldest first, bounded: inserting beyond the limit
/// evicts the oldest (§8.4). Keys are zeroed when used or evicted.
/// </summary>
internal sealed class SkippedMessageKeys
{
    private readonly LinkedList<(SkippedKeyId Id, byte[] Key)> _order = new();
    private readonly Dictionary<SkippedKeyId, LinkedListNode<(SkippedKeyId Id, byte[] Key)>> _index = [];

    public int Count => _index.Count;

    /// <summary>Entries oldest first (for serialisation).</summary>
    public IEnumerable<(SkippedKeyId Id, byte[] Key)> Entries => _order;

    public bool Contains(SkippedKeyId id) => _index.ContainsKey(id);

    public bool TryPeek(SkippedKeyId id, out byte[] key)
    {
        if (_index.TryGetValue(id, out var node))
        {
            key = node.Value.Key;
            return true;
        }

        key = [];
        return false;
    }

    public void Remove(SkippedKeyId id)
    {
        if (!_index.Remove(id, out var node)) return;
        _order.Remove(node);
        CryptographicOperations.ZeroMemory(node.Value.Key);
    }

    public void Add(SkippedKeyId id, byte[] key, int limit)
    {
        if (_index.ContainsKey(id)) return;
        _index[id] = _order.AddLast((id, key));
        while (_index.Count > limit)
        {
            var oldest = _order.First!;
            _order.RemoveFirst();
            _index.Remove(oldest.Value.Id);
            CryptographicOperations.ZeroMemory(oldest.Value.Key);
        }
    }
}
