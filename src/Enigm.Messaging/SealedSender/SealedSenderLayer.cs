using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Prekeys;

namespace Enigm.Messaging.SealedSender;

/// <summary>
/// The post-quantum sealed-sender layer as it travels:
/// <c>[version, suite, type, X-Wing ciphertext (1120), AEAD ciphertext ‖ tag]</c>, and the plaintext inside it:
/// <c>[sender certificate (bstr), content type, content (bstr)]</c>. Every field has a limit.
/// </summary>
public sealed record SealedSenderLayer(Suite Suite, byte[] KemCiphertext, byte[] Ciphertext)
{
    /// <summary>Largest content a layer carries.</summary>
    public const int MaxContentSize = 192 * 1024;

    /// <summary>Largest inner plaintext: certificate, content and framing.</summary>
    public const int MaxPlaintextSize = MaxContentSize + IdentityCertificate.MaxEncodedSize + 32;

    public const int MaxEncodedSize = MaxPlaintextSize + 16 + 1120 + 64;

    private const int Items = 5;

    public byte[] Encode()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(Items);
        FormatHeader.For(Suite, ObjectType.SealedSenderLayer).WriteTo(writer);
        writer.WriteByteString(KemCiphertext);
        writer.WriteByteString(Ciphertext);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static SealedSenderLayer Decode(ReadOnlyMemory<byte> encoded, SuitePolicy policy) =>
        CanonicalCbor.Decode(encoded, MaxEncodedSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, Items);
            var header = FormatHeader.Read(reader, ObjectType.SealedSenderLayer, policy);
            var suite = policy.Require(header.SuiteId);
            var kemCiphertext = MessagingCbor.ReadExact(reader, suite.HybridKem.CiphertextSize, "X-Wing ciphertext");
            var ciphertext = CanonicalCbor.ReadBytes(reader, MaxPlaintextSize + 16);
            if (ciphertext.Length < 16) throw new MalformedInputException("The sealed-sender ciphertext is shorter than its tag.");
            reader.ReadEndArray();
            return new SealedSenderLayer(suite, kemCiphertext, ciphertext);
        });

    internal static byte[] EncodePlaintext(byte[] senderCertificate, byte contentType, ReadOnlySpan<byte> content)
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(3);
        writer.WriteByteString(senderCertificate);
        writer.WriteUInt32(contentType);
        writer.WriteByteString(content);
        writer.WriteEndArray();
        return writer.Encode();
    }

    internal static (byte[] Certificate, byte ContentType, byte[] Content) DecodePlaintext(ReadOnlyMemory<byte> plaintext) =>
        CanonicalCbor.Decode(plaintext, MaxPlaintextSize, reader =>
        {
            CanonicalCbor.ReadArrayStart(reader, 3);
            var certificate = CanonicalCbor.ReadBytes(reader, IdentityCertificate.MaxEncodedSize);
            var contentType = (byte)CanonicalCbor.ReadUInt(reader, byte.MaxValue);
            var content = CanonicalCbor.ReadBytes(reader, MaxContentSize);
            reader.ReadEndArray();
            return (certificate, contentType, content);
        });
}
