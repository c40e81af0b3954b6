using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Messaging.Attachments;
using Xunit;

namespace Enigm.Messaging.Tests.Attachments;

public sealed class AttachmentPointerEncodingTests
{
    private static readonly AttachmentPointer Sample =
        new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), 123_456, "image/png");

    [Fact]
    public void Round_trips_and_encodes_deterministically()
    {
        var encoded = AttachmentPointerEncoding.Encode(Sample);
        Assert.Equal(encoded, AttachmentPointerEncoding.Encode(Sample with { }));
        var decoded = AttachmentPointerEncoding.Decode(encoded);
        Assert.Equal(Sample.Key.ToArray(), decoded.Key.ToArray());
        Assert.Equal(Sample.Digest.ToArray(), decoded.Digest.ToArray());
        Assert.Equal(Sample.Length, decoded.Length);
        Assert.Equal(Sample.ContentType, decoded.ContentType);
        Assert.InRange(encoded.Length, 1, AttachmentPointerEncoding.MaxEncodedSize);
    }

    [Fact]
    public void Rejects_trailing_bytes() =>
        Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Decode((byte[])[.. AttachmentPointerEncoding.Encode(Sample), 0]));

    [Fact]
    public void Rejects_input_over_the_size_limit() =>
        Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Decode(new byte[AttachmentPointerEncoding.MaxEncodedSize + 1]));

    [Fact]
    public void Rejects_truncated_input()
    {
        var encoded = AttachmentPointerEncoding.Encode(Sample);
        for (var cut = 0; cut < encoded.Length; cut++)
            Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Decode(encoded[..cut]));
    }

    [Fact]
    public void Rejects_unknown_version() =>
        Assert.Throws<UnsupportedFormatVersionException>(() => AttachmentPointerEncoding.Decode(Write(2, 32, 32, 5, "a/b")));

    [Theory]
    [InlineData(16, 32)]
    [InlineData(33, 32)]
    [InlineData(32, 31)]
    public void Rejects_wrong_key_or_digest_size(int keySize, int digestSize) =>
        Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Decode(Write(1, keySize, digestSize, 5, "a/b")));

    [Theory]
    [InlineData("")]
    [InlineData("text/plain\n")]
    [InlineData("caf\u00e9/x")]
    public void Rejects_bad_content_type(string contentType)
    {
        Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Decode(Write(1, 32, 32, 5, contentType)));
        Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Encode(Sample with { ContentType = contentType }));
    }

    [Fact]
    public void Rejects_length_beyond_the_chunk_limit() =>
        Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Decode(Write(1, 32, 32, ulong.MaxValue, "a/b")));

    [Fact]
    public void Rejects_indefinite_length_array()
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartArray(null);
        writer.WriteUInt32(1);
        writer.WriteByteString(new byte[32]);
        writer.WriteByteString(new byte[32]);
        writer.WriteUInt64(5);
        writer.WriteTextString("a/b");
        writer.WriteEndArray();
        Assert.Throws<MalformedInputException>(() => AttachmentPointerEncoding.Decode(writer.Encode()));
    }

    private static byte[] Write(uint version, int keySize, int digestSize, ulong length, string contentType)
    {
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartArray(5);
        writer.WriteUInt32(version);
        writer.WriteByteString(new byte[keySize]);
        writer.WriteByteString(new byte[digestSize]);
        writer.WriteUInt64(length);
        writer.WriteTextString(contentType);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
