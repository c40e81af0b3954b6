using Enigm.Messaging.Calls.SFrame;
using Enigm.Messaging.Errors;
using Xunit;

namespace Enigm.Messaging.Tests.Calls;

public sealed class SFrameHeaderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("80")] // extended KID of 1 byte, missing
    [InlineData("08")] // extended CTR of 1 byte, missing
    [InlineData("ff0102030405060708010203040506")] // 8-byte CTR cut short
    public void Rejects_a_frame_that_ends_inside_its_header(string hex)
    {
        var error = Assert.Throws<SFrameHeaderInvalidException>(() => SFrameHeader.Read(Convert.FromHexString(hex), out _));
        Assert.Equal("sframe-header-invalid", error.Code);
    }

    [Theory]
    [InlineData("8007")] // KID 7 must sit in the config byte
    [InlineData("0807")] // CTR 7 likewise
    [InlineData("900008")] // KID 8 in two bytes
    [InlineData("09000100")] // CTR 256 in three bytes
    public void Rejects_a_kid_or_counter_not_in_its_shortest_form(string hex)
    {
        var error = Assert.Throws<SFrameHeaderInvalidException>(() => SFrameHeader.Read(Convert.FromHexString(hex), out _));
        Assert.Contains("shortest form", error.Message, StringComparison.Ordinal);
        Assert.False(SFrameHeader.TryRead(Convert.FromHexString(hex), out _, out _));
    }

    [Fact]
    public void Reads_only_the_header_and_reports_its_size()
    {
        var frame = new byte[] { 0x99, 0x01, 0x23, 0x45, 0x67, 0xDE, 0xAD };
        var header = SFrameHeader.Read(frame, out var size);
        Assert.Equal(new SFrameHeader(0x123, 0x4567), header);
        Assert.Equal(5, size);
    }

    [Fact]
    public void Round_trips_every_length_of_kid_and_counter()
    {
        var values = new ulong[] { 0, 7, 8, 255, 256, 65535, 65536, uint.MaxValue, (ulong)uint.MaxValue + 1, ulong.MaxValue };
        foreach (var kid in values)
            foreach (var ctr in values)
            {
                var header = new SFrameHeader(kid, ctr);
                var encoded = header.Encode();
                Assert.True(encoded.Length <= SFrameHeader.MaxEncodedSize);
                Assert.True(SFrameHeader.TryRead(encoded, out var read, out var size));
                Assert.Equal(header, read);
                Assert.Equal(encoded.Length, size);
            }
    }

    [Fact]
    public void Refuses_to_write_into_a_short_buffer()
    {
        Assert.Throws<ArgumentException>(() => new SFrameHeader(1000, 1000).WriteTo(new byte[4]));
    }
}
