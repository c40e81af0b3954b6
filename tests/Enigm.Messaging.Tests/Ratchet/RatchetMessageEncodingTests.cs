using System.Formats.Cbor;
using Enigm.Messaging.Ratchet;
using Xunit;

namespace Enigm.Messaging.Tests.Ratchet;

public sealed class RatchetMessageEncodingTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(1040)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void Hand_written_message_is_the_canonical_cbor_the_reader_accepts(int ciphertextLength)
    {
        var header = RatchetMessage.EncodeHeader(new RatchetHeader(1, new byte[32], 3, 4, 2, 5, 40, new byte[32]));
        var ciphertext = new byte[ciphertextLength];
        new Random(ciphertextLength).NextBytes(ciphertext);

        var message = RatchetMessage.Encode(header, ciphertext);

        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartArray(2);
        writer.WriteEncodedValue(header);
        writer.WriteByteString(ciphertext);
        writer.WriteEndArray();
        Assert.Equal(writer.Encode(), message);
        var (_, decodedHeader, decodedCiphertext) = RatchetMessage.Decode(message);
        Assert.Equal(header, decodedHeader);
        Assert.Equal(ciphertext, decodedCiphertext);
    }

    [Fact]
    public void Largest_header_fits_the_associated_data_buffer()
    {
        var header = new RatchetHeader(ushort.MaxValue, new byte[32], uint.MaxValue, uint.MaxValue - 1, uint.MaxValue, uint.MaxValue, ushort.MaxValue, new byte[32]);

        Assert.True(RatchetMessage.EncodeHeader(header).Length <= RatchetMessage.MaxHeaderSize);
    }
}
