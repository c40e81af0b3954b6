using System.Formats.Cbor;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Xunit;

namespace Enigm.Crypto.Tests.Encoding;

public sealed class CanonicalCborTests
{
    private static ulong ReadOneUInt(CborReader reader) => reader.ReadUInt64();

    [Fact]
    public void Writer_produces_shortest_encodings()
    {
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteUInt32(5);
        Assert.Equal(new byte[] { 0x05 }, writer.Encode());
    }

    [Fact]
    public void Accepts_a_canonical_value() =>
        Assert.Equal(24UL, CanonicalCbor.Decode(new byte[] { 0x18, 0x18 }, 16, ReadOneUInt));

    [Theory]
    [InlineData("1805")] // 5 encoded in two bytes
    [InlineData("190005")] // 5 encoded in three bytes
    [InlineData("5f4101ff")] // indefinite-length byte string
    [InlineData("a2020101")] // map with keys out of order (2, 1)
    [InlineData("a2010101")] // map with a duplicate key
    public void Rejects_non_canonical_encodings(string hex) =>
        Assert.Throws<MalformedInputException>(() => CanonicalCbor.Decode(Convert.FromHexString(hex), 16, SkipOne));

    [Fact]
    public void Rejects_trailing_bytes() =>
        Assert.Throws<MalformedInputException>(() => CanonicalCbor.Decode(new byte[] { 0x05, 0x00 }, 16, ReadOneUInt));

    [Fact]
    public void Rejects_oversized_input_before_parsing() =>
        Assert.Throws<MalformedInputException>(() => CanonicalCbor.Decode(new byte[17], 16, ReadOneUInt));

    [Fact]
    public void Rejects_empty_input() =>
        Assert.Throws<MalformedInputException>(() => CanonicalCbor.Decode(ReadOnlyMemory<byte>.Empty, 16, ReadOneUInt));

    [Fact]
    public void Rejects_truncated_input() =>
        Assert.Throws<MalformedInputException>(() => CanonicalCbor.Decode(new byte[] { 0x19, 0x01 }, 16, ReadOneUInt));

    [Fact]
    public void Rejects_a_value_of_the_wrong_type() =>
        Assert.Throws<MalformedInputException>(() => CanonicalCbor.Decode(new byte[] { 0x41, 0x00 }, 16, ReadOneUInt));

    [Fact]
    public void Rejects_a_byte_string_over_its_limit() =>
        Assert.Throws<MalformedInputException>(() =>
            CanonicalCbor.Decode(new byte[] { 0x43, 1, 2, 3 }, 16, r => CanonicalCbor.ReadBytes(r, 2)));

    [Fact]
    public void Rejects_an_integer_over_its_limit() =>
        Assert.Throws<MalformedInputException>(() =>
            CanonicalCbor.Decode(new byte[] { 0x18, 0xff }, 16, r => CanonicalCbor.ReadUInt(r, 100)));

    [Fact]
    public void Rejects_an_array_of_the_wrong_length() =>
        Assert.Throws<MalformedInputException>(() =>
            CanonicalCbor.Decode(new byte[] { 0x82, 0x01, 0x02 }, 16, r =>
            {
                CanonicalCbor.ReadArrayStart(r, 3);
                return 0;
            }));

    private static int SkipOne(CborReader reader)
    {
        reader.SkipValue();
        return 0;
    }
}
