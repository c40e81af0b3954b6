using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Trust.Transparency;

/// <summary>
/// An RFC 9162 §2.1.3 inclusion proof: the audit path of leaf <see cref="LeafIndex"/> in the tree of
/// <see cref="TreeSize"/> leaves. Wire form, deterministic CBOR: [1, leaf index, tree size, [hash…]].
/// </summary>
public sealed record InclusionProof(long LeafIndex, long TreeSize, IReadOnlyList<byte[]> Path)
{
    /// <summary>Largest encoding <see cref="Parse"/> reads (64 hashes and the integers fit well within it).</summary>
    public const int MaxEncodedSize = 4096;

    public byte[] Encode() => MerkleProofCodec.Encode(LeafIndex, TreeSize, Path);

    /// <summary>Parses untrusted bytes; malformed or oversized input throws <see cref="MalformedInputException"/>.</summary>
    public static InclusionProof Parse(ReadOnlyMemory<byte> encoded)
    {
        var (index, size, path) = MerkleProofCodec.Decode(encoded, MaxEncodedSize);
        if (index >= size)
            throw new MalformedInputException($"Leaf index {index} is outside a tree of size {size}.");
        return new InclusionProof(index, size, path);
    }
}

/// <summary>
/// An RFC 9162 §2.1.4 consistency proof between the tree of <see cref="FirstSize"/> leaves and the tree
/// of <see cref="SecondSize"/> leaves. Wire form, deterministic CBOR: [1, first size, second size, [hash…]].
/// </summary>
public sealed record ConsistencyProof(long FirstSize, long SecondSize, IReadOnlyList<byte[]> Path)
{
    public const int MaxEncodedSize = 4096;

    public byte[] Encode() => MerkleProofCodec.Encode(FirstSize, SecondSize, Path);

    /// <summary>Parses untrusted bytes; malformed or oversized input throws <see cref="MalformedInputException"/>.</summary>
    public static ConsistencyProof Parse(ReadOnlyMemory<byte> encoded)
    {
        var (first, second, path) = MerkleProofCodec.Decode(encoded, MaxEncodedSize);
        if (first > second)
            throw new MalformedInputException($"First tree size {first} is larger than the second, {second}.");
        return new ConsistencyProof(first, second, path);
    }
}

/// <summary>The shared CBOR layout of both proofs.</summary>
internal static class MerkleProofCodec
{
    private const uint Version = 1;

    public static byte[] Encode(long a, long b, IReadOnlyList<byte[]> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(4);
        writer.WriteUInt32(Version);
        writer.WriteUInt64(checked((ulong)a));
        writer.WriteUInt64(checked((ulong)b));
        writer.WriteStartArray(path.Count);
        foreach (var hash in path) writer.WriteByteString(hash);
        writer.WriteEndArray();
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static (long A, long B, byte[][] Path) Decode(ReadOnlyMemory<byte> encoded, int maxSize) =>
        CanonicalCbor.Decode(encoded, maxSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 4);
            var version = reader.ReadUInt32();
            if (version != Version) throw new UnsupportedFormatVersionException((int)Math.Min(version, int.MaxValue));
            var a = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
            var b = (long)CanonicalCbor.ReadUInt(reader, long.MaxValue);
            var count = reader.ReadStartArray() ?? throw new MalformedInputException("Indefinite-length proof.");
            if (count > MerkleVerifier.MaxPathLength)
                throw new MalformedInputException($"Proof of {count} hashes exceeds {MerkleVerifier.MaxPathLength}.");
            var path = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                path[i] = reader.ReadByteString();
                if (path[i].Length != MerkleHashing.HashSize)
                    throw new MalformedInputException($"Proof element {i} is {path[i].Length} bytes, not {MerkleHashing.HashSize}.");
            }

            reader.ReadEndArray();
            reader.ReadEndArray();
            return (a, b, path);
        });
}
