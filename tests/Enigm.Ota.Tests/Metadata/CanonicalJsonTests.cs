using System.Text;
using Enigm.Crypto.Errors;
using Enigm.Ota.Metadata;
using Xunit;

namespace Enigm.Ota.Tests.Metadata;

public class CanonicalJsonTests
{
    private static string Canonicalize(string json) =>
        Encoding.UTF8.GetString(CanonicalJson.Serialize(CanonicalJson.Parse(Encoding.UTF8.GetBytes(json))));

    // Hand-written vectors from the rules of TUF 4.1 / securesystemslib encode_canonical.
    [Theory]
    [InlineData("{ \"b\" : 1 , \"a\" : [ true, false, null ] }", "{\"a\":[true,false,null],\"b\":1}")]
    [InlineData("{\"a\":\"x\\\"y\\\\z\"}", "{\"a\":\"x\\\"y\\\\z\"}")]
    [InlineData("{\"aa\":1,\"a\":2,\"B\":3,\"\":4}", "{\"\":4,\"B\":3,\"a\":2,\"aa\":1}")]
    [InlineData("[-5, 0, 9223372036854775807, -9223372036854775808]", "[-5,0,9223372036854775807,-9223372036854775808]")]
    [InlineData("{\"nested\":{\"z\":{},\"y\":[]}}", "{\"nested\":{\"y\":[],\"z\":{}}}")]
    [InlineData("\"\\u0041\\/\"", "\"A/\"")]
    public void Writes_canonical_form(string input, string expected) =>
        Assert.Equal(expected, Canonicalize(input));

    [Fact]
    public void Writes_non_ascii_and_control_characters_raw()
    {
        var bytes = CanonicalJson.Serialize(CanonicalJson.Parse("{\"\\u00e9\":\"\\u00e9\\n\\t\"}"u8));
        byte[] expected = [.. "{\""u8, 0xC3, 0xA9, .. "\":\""u8, 0xC3, 0xA9, 0x0A, 0x09, .. "\"}"u8];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Sorts_member_names_by_code_point_not_utf16_unit()
    {
        // U+E000 < U+1F600 as code points (and UTF-8 bytes), though the UTF-16 surrogate 0xD83D < 0xE000.
        var obj = new JsonObjectValue(
        [
            new("\U0001F600", new JsonIntegerValue(1)),
            new("\uE000", new JsonIntegerValue(2)),
        ]);
        Assert.Equal("{\"\uE000\":2,\"\U0001F600\":1}", Encoding.UTF8.GetString(CanonicalJson.Serialize(obj)));
    }

    [Fact]
    public void Objects_enumerate_and_look_up_members_in_canonical_order()
    {
        var obj = CanonicalJson.ParseObject("{\"b\":1,\"\uE000\":2,\"a\":3,\"\ud83d\ude00\":4,\"B\":5}"u8);
        Assert.Equal(["B", "a", "b", "\uE000", "\U0001F600"], obj.Keys);
        Assert.Equal(4, obj.RequiredInteger("\U0001F600"));
        Assert.Equal(5, obj.RequiredInteger("B"));
        Assert.False(obj.ContainsKey("c"));
        Assert.Throws<KeyNotFoundException>(() => obj["c"]);
    }

    [Fact]
    public void Canonical_output_round_trips_byte_for_byte()
    {
        var canonical = Encoding.UTF8.GetBytes("{\"a\":[1,\"two\",{\"c\":null,\"d\":false}],\"b\":\"\\\\\\\"\"}");
        Assert.Equal(canonical, CanonicalJson.Serialize(CanonicalJson.Parse(canonical)));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("{\"a\":1e3}")]
    [InlineData("{\"a\":-2.5E-1}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":{\"b\":1,\"b\":1}}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":1}{}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("[1,]")]
    [InlineData("{/*c*/\"a\":1}")]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"a\":9223372036854775808}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":NaN}")]
    [InlineData("{\"a\"")]
    [InlineData("")]
    [InlineData("   ")]
    public void Rejects_input_outside_the_canonical_model(string json) =>
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Rejects_invalid_utf8()
    {
        byte[] json = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(json));
    }

    [Fact]
    public void Rejects_nesting_deeper_than_the_limit()
    {
        var deep = new string('[', 40) + new string(']', 40);
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(Encoding.UTF8.GetBytes(deep)));
        var ok = new string('[', 10) + new string(']', 10);
        Assert.IsType<JsonArrayValue>(CanonicalJson.Parse(Encoding.UTF8.GetBytes(ok)));
    }

    [Fact]
    public void Rejects_documents_over_the_size_limit()
    {
        var json = Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 200) + "\"}");
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(json, maxBytes: 100));
        Assert.IsType<JsonObjectValue>(CanonicalJson.Parse(json, maxBytes: 1000));
    }

    [Fact]
    public void Refuses_to_write_lone_surrogates()
    {
        var value = new JsonStringValue("\ud800");
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Serialize(value));
    }

    [Fact]
    public void Typed_accessors_report_missing_and_mistyped_members()
    {
        var obj = CanonicalJson.ParseObject("{\"n\":1,\"s\":\"x\"}"u8);
        Assert.Equal(1, obj.RequiredInteger("n"));
        Assert.Throws<MalformedInputException>(() => obj.RequiredString("n"));
        Assert.Throws<MalformedInputException>(() => obj.RequiredBool("missing"));
        Assert.Null(obj.Optional<JsonArrayValue>("missing"));
        Assert.Throws<MalformedInputException>(() => CanonicalJson.ParseObject("[1]"u8));
    }
}
