using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// Deterministic CBOR (RFC 8949 §4.2, via <see cref="CanonicalCbor"/>) of an <see cref="AttachmentPointer"/>:
/// <c>[version (1), key (bstr 32), digest (bstr 32), plaintext length (uint), content type (tstr ≤ 127 printable ASCII)]</c>.
/// Decoding is size-bounded and rejects anything else with <see cref="MalformedInputException"/>.
/// </summary>
public static class AttachmentPointerEncoding
{
    public const int MaxEncodedSize = 256;
    public const int MaxContentTypeLength = 127;
    public const int DigestSize = 32;

    /// <summary>The longest plaintext C2SP allows (2^38 chunks, the last one short).</summary>
    public const long MaxLength = (ChunkedEncryption.MaxChunks * ChunkedEncryption.ChunkSize) - 1;

    private const int Items = 5;

    public static byte[] Encode(AttachmentPointer pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        Check(pointer);
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(Items);
        writer.WriteUInt32(MessagingAssembly.FormatVersion);
        writer.WriteByteString(pointer.Key.Span);
        writer.WriteByteString(pointer.Digest.Span);
        writer.WriteUInt64((ulong)pointer.Length);
        writer.WriteTextString(pointer.ContentType);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static AttachmentPointer Decode(ReadOnlyMemory<byte> encoded) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, Items);
            var version = CanonicalCbor.ReadUInt(reader, byte.MaxValue);
            if (version != MessagingAssembly.FormatVersion)
                throw new UnsupportedFormatVersionException((int)version);
            var key = CanonicalCbor.ReadBytes(reader, ChunkedEncryptionKeys.KeySize);
            var digest = CanonicalCbor.ReadBytes(reader, DigestSize);
            var length = (long)CanonicalCbor.ReadUInt(reader, MaxLength);
            var contentType = CanonicalCbor.ReadText(reader, MaxContentTypeLength);
            reader.ReadEndArray();
            var pointer = new AttachmentPointer(key, digest, length, contentType);
            Check(pointer);
            return pointer;
        });

    private static void Check(AttachmentPointer pointer)
    {
        if (pointer.Key.Length != ChunkedEncryptionKeys.KeySize)
            throw new MalformedInputException($"An attachment key is {ChunkedEncryptionKeys.KeySize} bytes.");
        if (pointer.Digest.Length != DigestSize)
            throw new MalformedInputException($"An attachment digest is {DigestSize} bytes (SHA-256).");
        if (pointer.Length is < 0 or > MaxLength)
            throw new MalformedInputException($"An attachment length is between 0 and {MaxLength}.");
        if (pointer.ContentType.Length is 0 or > MaxContentTypeLength
            || pointer.ContentType.Any(c => c is < (char)0x21 and not ' ' or > (char)0x7E))
            throw new MalformedInputException($"A content type is 1 to {MaxContentTypeLength} printable ASCII characters.");
    }
}
