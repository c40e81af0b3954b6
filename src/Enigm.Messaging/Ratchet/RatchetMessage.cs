using System.Buffers.Binary;
using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Ratchet.ErasureCoding;

namespace Enigm.Messaging.Ratchet;

/// <summary>
/// The header of one Triple Ratchet message (§6: the Double Ratchet header of §3.4 next to the SPQR
/// header of §5). Classical part: the sender's ratchet public key, PN and N. Post-quantum part: the
/// sender's SCKA epoch (its messages are keyed under epoch − 1, the latest epoch the receiver is sure to
/// know), the message number in that epoch's chain, and at most one erasure-coded chunk of the
/// encapsulation key or ciphertext in flight (an empty chunk means none).
/// </summary>
internal sealed record RatchetHeader(
    ushort SuiteId,
    byte[] RatchetPublicKey,
    uint PreviousChainLength,
    uint MessageNumber,
    ulong PqEpoch,
    uint PqMessageNumber,
    ushort ChunkIndex,
    byte[] Chunk)
{
    public bool HasChunk => Chunk.Length != 0;
}

/// <summary>
/// Wire form of a ratchet message, deterministic CBOR: [header, ciphertext] with header =
/// [version, suite, dh, pn, n, pq_epoch, pq_n, chunk_index, chunk]. The encoded header bytes are
/// part of the AEAD associated data (§3.4 ENCRYPT(mk, plaintext, CONCAT(AD, header))).
/// </summary>
internal static class RatchetMessage
{
    /// <summary>Ceiling for one whole message on the wire.</summary>
    public const int MaxMessageSize = 1 << 20;

    /// <summary>Largest plaintext that still fits in <see cref="MaxMessageSize"/> with its header and tag.</summary>
    public const int MaxPlaintextSize = MaxMessageSize - 256;

    private const int PublicKeySize = 32;
    private const ulong MaxEpoch = uint.MaxValue;

    /// <summary>Upper bound of an encoded header (nine fields, two of them 32-byte strings), for buffer sizing.</summary>
    public const int MaxHeaderSize = 128;

    public static byte[] EncodeHeader(RatchetHeader header)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical, convertIndefiniteLengthEncodings: false, allowMultipleRootLevelValues: false, initialCapacity: MaxHeaderSize);
        writer.WriteStartArray(9);
        writer.WriteUInt32(MessagingAssembly.FormatVersion);
        writer.WriteUInt32(header.SuiteId);
        writer.WriteByteString(header.RatchetPublicKey);
        writer.WriteUInt32(header.PreviousChainLength);
        writer.WriteUInt32(header.MessageNumber);
        writer.WriteUInt64(header.PqEpoch);
        writer.WriteUInt32(header.PqMessageNumber);
        writer.WriteUInt32(header.ChunkIndex);
        writer.WriteByteString(header.Chunk);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static byte[] Encode(byte[] encodedHeader, ReadOnlySpan<byte> ciphertext)
    {
        var message = Allocate(encodedHeader, ciphertext.Length, out var ciphertextStart);
        ciphertext.CopyTo(message.AsSpan(ciphertextStart));
        return message;
    }

    /// <summary>
    /// The whole message with its ciphertext still to be written at <paramref name="ciphertextStart"/>, so
    /// the sender encrypts straight into it (no second buffer, no copy). Deterministic CBOR (RFC 8949 4.2.1)
    /// written by hand because it is three items: 0x82 (array of 2), the encoded header as is, and the head
    /// of a byte string of <paramref name="ciphertextLength"/> bytes in its shortest form (RFC 8949 3.1).
    /// <see cref="Decode"/> reads it back through the strict canonical reader, and tests check both agree.
    /// </summary>
    public static byte[] Allocate(byte[] encodedHeader, int ciphertextLength, out int ciphertextStart)
    {
        Span<byte> head = stackalloc byte[5];
        var headLength = ByteStringHead(ciphertextLength, head);
        ciphertextStart = 1 + encodedHeader.Length + headLength;
        var message = new byte[ciphertextStart + ciphertextLength];
        message[0] = 0x82;
        encodedHeader.CopyTo(message, 1);
        head[..headLength].CopyTo(message.AsSpan(1 + encodedHeader.Length));
        return message;
    }

    private static int ByteStringHead(int length, Span<byte> head)
    {
        const byte majorTypeBytes = 0x40;
        switch (length)
        {
            case < 24:
                head[0] = (byte)(majorTypeBytes | length);
                return 1;
            case <= byte.MaxValue:
                head[0] = majorTypeBytes | 24;
                head[1] = (byte)length;
                return 2;
            case <= ushort.MaxValue:
                head[0] = majorTypeBytes | 25;
                BinaryPrimitives.WriteUInt16BigEndian(head[1..], (ushort)length);
                return 3;
            default:
                head[0] = majorTypeBytes | 26;
                BinaryPrimitives.WriteUInt32BigEndian(head[1..], (uint)length);
                return 5;
        }
    }

    /// <summary>
    /// Parses untrusted bytes: size limit first, then strict canonical CBOR with every field's type,
    /// range and length checked. Returns the header, its exact encoded bytes and the ciphertext.
    /// </summary>
    public static (RatchetHeader Header, byte[] EncodedHeader, byte[] Ciphertext) Decode(ReadOnlyMemory<byte> message) =>
        CanonicalCbor.Decode(message, MaxMessageSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 2);
            var headerStart = message.Length - reader.BytesRemaining;
            var header = ReadHeader(reader);
            var headerEnd = message.Length - reader.BytesRemaining;
            var ciphertext = CanonicalCbor.ReadBytes(reader, MaxMessageSize);
            if (ciphertext.Length < 16)
                throw new MalformedInputException("Ratchet ciphertext is shorter than its authentication tag.");
            reader.ReadEndArray();
            return (header, message[headerStart..headerEnd].ToArray(), ciphertext);
        });

    private static RatchetHeader ReadHeader(CborReader reader)
    {
        CanonicalCbor.ReadArrayStart(reader, 9);
        var version = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
        if (version != MessagingAssembly.FormatVersion) throw new UnsupportedFormatVersionException((int)version);
        var suite = (ushort)CanonicalCbor.ReadUInt(reader, ushort.MaxValue);
        var dh = CanonicalCbor.ReadBytes(reader, PublicKeySize);
        if (dh.Length != PublicKeySize) throw new MalformedInputException("Ratchet public key must be 32 bytes.");
        var pn = (uint)CanonicalCbor.ReadUInt(reader, uint.MaxValue);
        var n = (uint)CanonicalCbor.ReadUInt(reader, uint.MaxValue);
        var epoch = CanonicalCbor.ReadUInt(reader, MaxEpoch);
        if (epoch == 0) throw new MalformedInputException("SPQR epochs start at 1.");
        var pqN = (uint)CanonicalCbor.ReadUInt(reader, uint.MaxValue);
        var chunkIndex = (ushort)CanonicalCbor.ReadUInt(reader, ReedSolomonErasureCode.MaxChunkIndex);
        var chunk = CanonicalCbor.ReadBytes(reader, ReedSolomonErasureCode.ChunkSize);
        if (chunk.Length is not (0 or ReedSolomonErasureCode.ChunkSize))
            throw new MalformedInputException($"A chunk is empty or exactly {ReedSolomonErasureCode.ChunkSize} bytes.");
        if (chunk.Length == 0 && chunkIndex != 0)
            throw new MalformedInputException("A message without a chunk carries chunk index 0.");
        reader.ReadEndArray();
        return new RatchetHeader(suite, dh, pn, n, epoch, pqN, chunkIndex, chunk);
    }
}
