using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Xunit;

namespace Enigm.Crypto.Tests.Encoding;

public sealed class FormatHeaderTests
{
    private static readonly byte[] Valid = FormatHeader.For(SuiteRegistry.Suite1, ObjectType.Signature).ToBytes();

    [Fact]
    public void Binary_header_has_the_documented_layout_and_round_trips()
    {
        Assert.Equal(new byte[] { (byte)'E', (byte)'N', 1, 0, 1, 2 }, Valid);
        var header = FormatHeader.Read(Valid, ObjectType.Signature, SuitePolicy.Default);
        Assert.Equal(new FormatHeader(1, 1, ObjectType.Signature), header);
    }

    [Fact]
    public void Rejects_short_input() =>
        Assert.Throws<MalformedInputException>(() => FormatHeader.Read(Valid.AsSpan(0, 5), ObjectType.Signature, SuitePolicy.Default));

    [Fact]
    public void Rejects_bad_magic() =>
        Assert.Throws<MalformedInputException>(() => FormatHeader.Read(With(0, (byte)'X'), ObjectType.Signature, SuitePolicy.Default));

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Rejects_unknown_versions(byte version)
    {
        var e = Assert.Throws<UnsupportedFormatVersionException>(() => FormatHeader.Read(With(2, version), ObjectType.Signature, SuitePolicy.Default));
        Assert.Equal(version, e.Version);
    }

    [Fact]
    public void Rejects_unknown_suite() =>
        Assert.Throws<UnknownSuiteException>(() => FormatHeader.Read(With(4, 77), ObjectType.Signature, SuitePolicy.Default));

    [Fact]
    public void Rejects_refused_suite() =>
        Assert.Throws<SuiteRefusedException>(() => FormatHeader.Read(Valid, ObjectType.Signature, SuitePolicy.Default.With(1, SuiteStatus.Refused)));

    [Fact]
    public void Rejects_an_object_of_another_type() =>
        Assert.Throws<MalformedInputException>(() => FormatHeader.Read(Valid, ObjectType.PublicKey, SuitePolicy.Default));

    private static byte[] With(int index, byte value)
    {
        var copy = (byte[])Valid.Clone();
        copy[index] = value;
        return copy;
    }
}
