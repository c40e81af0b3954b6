using System.Buffers;
using System.Text;
using System.Text.Json;
using Enigm.Crypto.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>
/// The canonical JSON that TUF signs (TUF 4.1; the OLPC canonical JSON as implemented by
/// securesystemslib <c>encode_canonical</c>): object members sorted by name, no insignificant
/// whitespace, integers only, and strings written as raw UTF-8 where only <c>"</c> and <c>\</c>
/// are escaped (with a backslash). Member names are sorted by Unicode code point, which is the
/// byte order of their UTF-8 encoding (Python's <c>sorted</c> on <c>str</c>).
/// <para>
/// The reader accepts ordinary JSON text (other implementations publish indented metadata) but
/// is strict about what untrusted bytes may contain: a size limit, a nesting limit, unique member
/// names, integers that fit 64 bits, no floating-point numbers and valid Unicode. Every failure is
/// a <see cref="MalformedInputException"/>.
/// </para>
/// </summary>
public static class CanonicalJson
{
    /// <summary>Default largest document the reader accepts (a 100k-target targets.json fits).</summary>
    public const int DefaultMaxBytes = 64 * 1024 * 1024;

    /// <summary>Default deepest nesting the reader accepts; TUF metadata needs about 6.</summary>
    public const int DefaultMaxDepth = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Serialize(JsonNodeValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, JsonNodeValue value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case JsonStringValue s:
                WriteString(output, s.Value);
                break;
            case JsonIntegerValue i:
                WriteAscii(output, i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case JsonBoolValue b:
                WriteAscii(output, b.Value ? "true" : "false");
                break;
            case JsonNullValue:
                WriteAscii(output, "null");
                break;
            case JsonArrayValue array:
                WriteByte(output, (byte)'[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) WriteByte(output, (byte)',');
                    Write(output, array[i]);
                }

                WriteByte(output, (byte)']');
                break;
            case JsonObjectValue obj:
                WriteObject(output, obj);
                break;
            default:
                throw new ArgumentException($"Unknown JSON value type {value.GetType().Name}.", nameof(value));
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonObjectValue obj)
    {
        // Sort by the UTF-8 bytes of the name: that is Unicode code point order.
        var members = obj.Select(m => (Name: EncodeUtf8(m.Key), m.Value)).ToArray();
        Array.Sort(members, (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        WriteByte(output, (byte)'{');
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0) WriteByte(output, (byte)',');
            WriteEscaped(output, members[i].Name);
            WriteByte(output, (byte)':');
            Write(output, members[i].Value);
        }

        WriteByte(output, (byte)'}');
    }

    private static void WriteString(IBufferWriter<byte> output, string value) => WriteEscaped(output, EncodeUtf8(value));

    private static void WriteEscaped(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        WriteByte(output, (byte)'"');
        foreach (var b in utf8)
        {
            if (b is (byte)'"' or (byte)'\\') WriteByte(output, (byte)'\\');
            WriteByte(output, b);
        }

        WriteByte(output, (byte)'"');
    }

    private static byte[] EncodeUtf8(string value)
    {
        try
        {
            return StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new MalformedInputException("JSON string is not valid Unicode (lone surrogate).", e);
        }
    }

    private static void WriteAscii(IBufferWriter<byte> output, string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++) span[i] = (byte)ascii[i];
        output.Advance(ascii.Length);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    /// <summary>Parses untrusted JSON bytes into the canonical model, enforcing the limits.</summary>
    public static JsonNodeValue Parse(ReadOnlySpan<byte> json, int maxBytes = DefaultMaxBytes, int maxDepth = DefaultMaxDepth)
    {
        if (json.Length > maxBytes)
            throw new MalformedInputException($"JSON document of {json.Length} bytes exceeds the limit of {maxBytes}.");
        if (json.IsEmpty) throw new MalformedInputException("JSON document is empty.");
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Disallow,
                AllowTrailingCommas = false,
                MaxDepth = maxDepth,
            });
            if (!reader.Read()) throw new MalformedInputException("JSON document holds no value.");
            var value = ReadValue(ref reader);
            if (reader.Read()) throw new MalformedInputException("Trailing data after the JSON value.");
            return value;
        }
        catch (JsonException e)
        {
            throw new MalformedInputException($"Invalid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports invalid UTF-8 or unpaired surrogate escapes this way.
            throw new MalformedInputException("Invalid JSON string content.", e);
        }
    }

    /// <summary>Parses and requires an object at the top level.</summary>
    public static JsonObjectValue ParseObject(ReadOnlySpan<byte> json, int maxBytes = DefaultMaxBytes) =>
        Parse(json, maxBytes) as JsonObjectValue
        ?? throw new MalformedInputException("JSON document is not an object.");

    private static JsonNodeValue ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new JsonStringValue(ReadString(ref reader));
            case JsonTokenType.Number:
                return ReadInteger(ref reader);
            case JsonTokenType.True:
                return JsonBoolValue.True;
            case JsonTokenType.False:
                return JsonBoolValue.False;
            case JsonTokenType.Null:
                return JsonNullValue.Instance;
            case JsonTokenType.StartArray:
                var items = new List<JsonNodeValue>();
                while (Next(ref reader) != JsonTokenType.EndArray) items.Add(ReadValue(ref reader));
                return new JsonArrayValue(items);
            case JsonTokenType.StartObject:
                var members = new Dictionary<string, JsonNodeValue>(StringComparer.Ordinal);
                while (Next(ref reader) != JsonTokenType.EndObject)
                {
                    var name = ReadString(ref reader);
                    Next(ref reader);
                    if (!members.TryAdd(name, ReadValue(ref reader)))
                        throw new MalformedInputException($"Duplicate JSON member \"{name}\".");
                }

                return new JsonObjectValue(members);
            default:
                throw new MalformedInputException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new MalformedInputException("Truncated JSON document.");
        return reader.TokenType;
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        var value = reader.GetString() ?? throw new MalformedInputException("Null JSON string.");
        // Escapes such as \ud800 decode to lone surrogates, which have no UTF-8 form: reject them.
        EncodeUtf8(value);
        return value;
    }

    private static JsonIntegerValue ReadInteger(ref Utf8JsonReader reader)
    {
        // The reader is built over one contiguous span, so a number is never split across segments.
        var raw = reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
            throw new MalformedInputException("Floating-point numbers are not allowed in canonical JSON.");
        if (!reader.TryGetInt64(out var value))
            throw new MalformedInputException("JSON integer does not fit in 64 bits.");
        return new JsonIntegerValue(value);
    }
}
