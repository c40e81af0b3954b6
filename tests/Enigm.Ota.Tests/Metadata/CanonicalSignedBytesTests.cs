using System.Text;
using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Ota.Metadata;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Metadata;

/// <summary>
/// The signature shortcut of <see cref="Metadata{T}.FromBytes"/>: signatures are checked over the
/// received "signed" bytes only when the strict reader proved them canonical, and then those bytes
/// are exactly <see cref="CanonicalJson.Serialize"/> of the model the client trusts. Every other
/// accepted spelling is verified against the canonical serialisation, never against what was sent.
/// </summary>
public sealed class CanonicalSignedBytesTests : IDisposable
{
    private readonly Enigm.Crypto.Secrets.PrivateKey _key;
    private readonly TufSigner _signer;
    private readonly RoleKeys _role;
    private readonly Dictionary<string, TufKey> _keys;

    /// <summary>Canonical envelope from our writer; "signed" is its last member.</summary>
    private readonly string _canonical;

    public CanonicalSignedBytesTests()
    {
        (_key, _signer) = TestKeys.New(SignatureAlgorithm.Ed25519);
        _role = new RoleKeys([_signer.KeyId], 1);
        _keys = new Dictionary<string, TufKey> { [_signer.KeyId] = _signer.Key };
        var custom = CanonicalJson.ParseObject("{\"zero\":0,\"neg\":-5,\"list\":[true,false,null,{},[]],\"text\":\"caf\u00e9 \\\"q\\\" \\\\ A\"}"u8);
        var targets = new TargetsMetadata
        {
            Version = 7,
            Expires = TestKeys.FarFuture,
            Targets = new Dictionary<string, TargetFile>
            {
                ["fw/a\"b\\c.bin"] = File(custom),
                ["fw/\u00e9t\u00e9.bin"] = File(null),
                ["\uE000.bin"] = File(null),
                ["\U0001F600.bin"] = File(null),
            },
            Delegations = new Delegations
            {
                Keys = _keys,
                Roles = [new DelegatedRole { Name = "bins", Keys = _role, Terminating = false, Paths = ["bins/*"] }],
            },
        };
        _canonical = Encoding.UTF8.GetString(Metadata<TargetsMetadata>.Create(targets).Sign(_signer).ToBytes());
    }

    public void Dispose() => _key.Dispose();

    private static TargetFile File(JsonObjectValue? custom) =>
        new(12, new Dictionary<string, string> { ["sha256"] = new string('0', 64), ["sha512"] = new string('f', 128) }, custom);

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>The bytes of "signed" in an envelope that ends with it (as the variants below do).</summary>
    private static byte[] ReceivedSigned(byte[] envelope)
    {
        var start = envelope.AsSpan().IndexOf("\"signed\":"u8) + "\"signed\":".Length;
        return envelope[start..^1];
    }

    private static Range? CanonicalRange(byte[] envelope)
    {
        CanonicalJson.ParseObject(envelope, CanonicalJson.DefaultMaxBytes, "signed", out var range);
        return range;
    }

    [Fact]
    public void Canonical_input_is_verified_over_the_received_bytes_which_equal_the_serialised_model()
    {
        var envelope = Utf8(_canonical);

        var parsed = Metadata<TargetsMetadata>.FromBytes(envelope);

        var range = Assert.NotNull(CanonicalRange(envelope));
        Assert.Equal(ReceivedSigned(envelope), envelope[range]);
        Assert.Equal(envelope[range], parsed.SignedBytes.ToArray());
        Assert.Equal(CanonicalJson.Serialize(parsed.SignedJson), parsed.SignedBytes.ToArray());
        Assert.Equal(CanonicalJson.Serialize(parsed.Signed.ToJson()), parsed.SignedBytes.ToArray());
        Assert.Equal(1, ThresholdVerifier.CountValidSignatures(parsed, _role, _keys));
    }

    // Each variant spells the same "signed" value differently; all are valid JSON the reader accepts.
    [Theory]
    [InlineData("space after a colon", "\"version\":7}", "\"version\": 7}")]
    [InlineData("newline before the closing brace", "\"version\":7}", "\"version\":7\n}")]
    [InlineData("space inside an array", "[true,false", "[ true,false")]
    [InlineData("tab after a comma", "\"_type\":\"targets\",", "\"_type\":\"targets\",\t")]
    [InlineData("members out of order", "\"_type\":\"targets\",\"delegations\"", "\"delegations\"")]
    [InlineData("ASCII letter as \\u escape", "\"_type\":\"targets\"", "\"_type\":\"t\\u0061rgets\"")]
    [InlineData("escaped solidus", "\"bins/*\"", "\"bins\\/*\"")]
    [InlineData("quote as \\u0022", "a\\\"b", "a\\u0022b")]
    [InlineData("backslash as \\u005c", "b\\\\c", "b\\u005cc")]
    [InlineData("non-ASCII as \\u escape", "caf\u00e9", "caf\\u00e9")]
    [InlineData("minus zero", "\"zero\":0", "\"zero\":-0")]
    public void Non_canonical_spelling_is_verified_against_the_canonical_form(string what, string canonicalPart, string variantPart)
    {
        var canonical = Utf8(_canonical);
        var variantText = _canonical.Replace(canonicalPart, variantPart, StringComparison.Ordinal);
        if (what == "members out of order")
            variantText = variantText.Replace("\"version\":7}", "\"version\":7,\"_type\":\"targets\"}", StringComparison.Ordinal);
        Assert.NotEqual(_canonical, variantText);
        var variant = Utf8(variantText);

        var parsed = Metadata<TargetsMetadata>.FromBytes(variant);

        // No shortcut: the signed bytes are the canonical serialisation, the same as for the original.
        Assert.Null(CanonicalRange(variant));
        Assert.Equal(CanonicalJson.Serialize(parsed.SignedJson), parsed.SignedBytes.ToArray());
        Assert.Equal(ReceivedSigned(canonical), parsed.SignedBytes.ToArray());
        Assert.NotEqual(ReceivedSigned(variant), parsed.SignedBytes.ToArray());
        // So the signature over the canonical form verifies...
        Assert.Equal(1, ThresholdVerifier.CountValidSignatures(parsed, _role, _keys));
        // ...and one over the bytes as received does not.
        var overReceived = parsed.WithSignatures([_signer.Sign(ReceivedSigned(variant))]);
        Assert.Equal(0, ThresholdVerifier.CountValidSignatures(overReceived, _role, _keys));
    }

    [Theory]
    [InlineData("\"length\":12", "\"length\":012")]
    [InlineData("\"length\":12", "\"length\":+12")]
    [InlineData("\"length\":12", "\"length\":1.2e1")]
    [InlineData("\"length\":12", "\"length\":12.0")]
    [InlineData("\"version\":7}", "\"version\":7,\"version\":7}")]
    public void Rejects_number_forms_and_duplicates_outside_the_model(string canonicalPart, string variantPart)
    {
        var variant = Utf8(_canonical.Replace(canonicalPart, variantPart, StringComparison.Ordinal));
        Assert.Throws<MalformedInputException>(() => Metadata<TargetsMetadata>.FromBytes(variant));
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong "/"
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF })] // overlong "/", three bytes
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // UTF-8 of the surrogate U+D800 (CESU)
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0xE2, 0x82 })] // truncated
    [InlineData(new byte[] { 0x80 })] // lone continuation byte
    public void Rejects_every_invalid_utf8_form_in_strings_and_names(byte[] invalid)
    {
        byte[] inValue = [.. "{\"a\":\"x"u8, .. invalid, .. "\"}"u8];
        byte[] inName = [.. "{\"x"u8, .. invalid, .. "\":1}"u8];
        // Next to an escape, the string takes the reader's unescaping path instead of the direct decoder.
        byte[] inEscapedValue = [.. "{\"a\":\"\\\"x"u8, .. invalid, .. "\"}"u8];
        byte[] inEscapedName = [.. "{\"\\\\x"u8, .. invalid, .. "\":1}"u8];
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(inValue));
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(inName));
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(inEscapedValue));
        Assert.Throws<MalformedInputException>(() => CanonicalJson.Parse(inEscapedName));
    }

    [Fact]
    public void Every_accepted_single_byte_mutation_verifies_over_its_canonical_serialisation()
    {
        // Insert a space, delete a byte, or change a byte at every position of the signed part: each
        // accepted result must have SignedBytes == Serialize(model), whether or not the shortcut applied.
        var canonical = Utf8(_canonical);
        var signedStart = canonical.Length - ReceivedSigned(canonical).Length - 1;
        int accepted = 0, shortcut = 0;
        for (var i = signedStart; i < canonical.Length; i++)
        {
            byte[][] variants =
            [
                [.. canonical[..i], (byte)' ', .. canonical[i..]],
                [.. canonical[..i], .. canonical[(i + 1)..]],
                [.. canonical[..i], (byte)(canonical[i] ^ 0x01), .. canonical[(i + 1)..]],
            ];
            foreach (var variant in variants)
            {
                Metadata<TargetsMetadata> parsed;
                try
                {
                    parsed = Metadata<TargetsMetadata>.FromBytes(variant);
                }
                catch (EnigmException)
                {
                    continue;
                }

                accepted++;
                if (CanonicalRange(variant) is not null) shortcut++;
                Assert.Equal(CanonicalJson.Serialize(parsed.SignedJson), parsed.SignedBytes.ToArray());
            }
        }

        // The sweep exercised both paths (e.g. a changed hex digit stays canonical; a space between tokens does not).
        Assert.True(shortcut > 0);
        Assert.True(accepted > shortcut);
    }

    [Fact]
    public void Name_order_is_utf8_byte_order()
    {
        string[] names = ["", "a", "ab", "b", "B", "\u007f", "\u0080", "\u07ff", "\u0800", "\uD7FF", "\uE000", "\uFFFF", "\U00010000", "\U0001F600", "\U0010FFFF", "a\U0001F600", "a\uFFFF"];
        foreach (var a in names)
        {
            foreach (var b in names)
            {
                var expected = Math.Sign(Utf8(a).AsSpan().SequenceCompareTo(Utf8(b)));
                Assert.Equal(expected, Math.Sign(JsonObjectValue.CompareNames(a, b)));
            }
        }
    }

    [Fact]
    public void Shortcut_is_only_for_the_named_top_level_member()
    {
        // A nested "signed" is not the envelope's; a non-canonical envelope around a canonical "signed" is fine.
        CanonicalJson.ParseObject("{\"x\":{\"signed\":{}}}"u8, CanonicalJson.DefaultMaxBytes, "signed", out var nested);
        Assert.Null(nested);
        var json = "{ \"signatures\" : [ ] ,\n \"signed\" : {\"a\":1} }"u8.ToArray();
        CanonicalJson.ParseObject(json, CanonicalJson.DefaultMaxBytes, "signed", out var range);
        Assert.Equal("{\"a\":1}"u8.ToArray(), json[Assert.NotNull(range)]);
    }

    [Fact]
    public void Random_documents_take_the_shortcut_exactly_when_their_signed_bytes_are_canonical()
    {
        var random = new Random(20261125);
        var shortcuts = 0;
        for (var n = 0; n < 400; n++)
        {
            var canonical = CanonicalJson.Serialize(RandomObject(random, 0));
            // Rewritten by System.Text.Json: indented or compact, members reversed or not, its own escaping.
            var options = new JsonWriterOptions { Indented = random.Next(2) == 0 };
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(output, options))
            {
                using var document = JsonDocument.Parse(canonical);
                Rewrite(writer, document.RootElement, reverse: random.Next(2) == 0);
            }

            foreach (var signed in new[] { canonical, output.WrittenSpan.ToArray() })
            {
                byte[] envelope = [.. "{\"signatures\":[],\"signed\":"u8, .. signed, .. "}"u8];
                var parsed = CanonicalJson.ParseObject(envelope, CanonicalJson.DefaultMaxBytes, "signed", out var range);
                var serialised = CanonicalJson.Serialize(parsed["signed"]);
                Assert.Equal(canonical, serialised);
                Assert.Equal(signed.AsSpan().SequenceEqual(canonical), range is not null);
                if (range is { } r)
                {
                    Assert.Equal(serialised, envelope[r]);
                    shortcuts++;
                }
            }
        }

        Assert.True(shortcuts > 400);
    }

    private static readonly string[] Pieces = ["a", "B", "z", "0", " ", "/", "\"", "\\", "<", "+", "\u007f", "\u00e9", "\u0800", "\uE000", "\uFFFD", "\U0001F600", "\U0010FFFF"];

    private static string RandomText(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(4)).Select(_ => Pieces[random.Next(Pieces.Length)]));

    private static JsonObjectValue RandomObject(Random random, int depth)
    {
        var members = new Dictionary<string, JsonNodeValue>(StringComparer.Ordinal);
        for (var i = random.Next(depth == 0 ? 1 : 0, 5); i > 0; i--) members[RandomText(random)] = RandomValue(random, depth + 1);
        return new JsonObjectValue(members);
    }

    private static JsonNodeValue RandomValue(Random random, int depth) => random.Next(depth > 3 ? 4 : 6) switch
    {
        0 => new JsonStringValue(RandomText(random)),
        1 => new JsonIntegerValue(random.Next(4) switch { 0 => 0, 1 => long.MinValue, 2 => long.MaxValue, _ => random.NextInt64(-1000, 1000) }),
        2 => JsonBoolValue.Of(random.Next(2) == 0),
        3 => JsonNullValue.Instance,
        4 => RandomObject(random, depth),
        _ => new JsonArrayValue([.. Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1))]),
    };

    private static void Rewrite(Utf8JsonWriter writer, JsonElement element, bool reverse)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var properties = element.EnumerateObject().ToList();
                if (reverse) properties.Reverse();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    Rewrite(writer, property.Value, reverse);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Rewrite(writer, item, reverse);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
