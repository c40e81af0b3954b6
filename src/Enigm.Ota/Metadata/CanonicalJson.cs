using System.Buffers;
using System.Globalization;
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
/// <para>
/// While reading, it also notes every departure from canonical form (whitespace between tokens,
/// members out of order, escapes other than <c>"</c> and <c>\</c>, integers not in shortest form),
/// so it can tell when a value's bytes already are its canonical serialisation; <see cref="Metadata{T}"/>
/// then verifies signatures over those bytes instead of serialising the value again.
/// </para>
/// </summary>
public static class CanonicalJson
{
    /// <summary>Default largest document the reader accepts (a 100k-target targets.json fits).</summary>
    public const int DefaultMaxBytes = 64 * 1024 * 1024;

    /// <summary>Default deepest nesting the reader accepts; TUF metadata needs about 6.</summary>
    public const int DefaultMaxDepth = 32;

    /// <summary>Longest decimal form of a 64-bit integer ("-9223372036854775808").</summary>
    private const int MaxIntegerBytes = 20;

    private const int SmallIntegerCount = 256;

    /// <summary>Shared values for small integers (thresholds, versions, percentages); they are immutable.</summary>
    private static readonly JsonIntegerValue[] SmallIntegers = [.. Enumerable.Range(0, SmallIntegerCount).Select(i => new JsonIntegerValue(i))];

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
                var digits = output.GetSpan(MaxIntegerBytes);
                i.Value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
                output.Advance(written);
                break;
            case JsonBoolValue b:
                WriteBytes(output, b.Value ? "true"u8 : "false"u8);
                break;
            case JsonNullValue:
                WriteBytes(output, "null"u8);
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
                // Members are stored in canonical order already (see JsonObjectValue.CompareNames).
                WriteByte(output, (byte)'{');
                var members = obj.Members;
                for (var i = 0; i < members.Length; i++)
                {
                    if (i > 0) WriteByte(output, (byte)',');
                    WriteString(output, members[i].Key);
                    WriteByte(output, (byte)':');
                    Write(output, members[i].Value);
                }

                WriteByte(output, (byte)'}');
                break;
            default:
                throw new ArgumentException($"Unknown JSON value type {value.GetType().Name}.", nameof(value));
        }
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        // Encode straight into the output; only strings holding " or \ take the escaping path.
        var span = output.GetSpan(checked((value.Length * 3) + 2));
        int length;
        try
        {
            length = StrictUtf8.GetBytes(value, span[1..]);
        }
        catch (EncoderFallbackException e)
        {
            throw new MalformedInputException("JSON string is not valid Unicode (lone surrogate).", e);
        }

        var utf8 = span.Slice(1, length);
        if (utf8.IndexOfAny((byte)'"', (byte)'\\') < 0)
        {
            span[0] = (byte)'"';
            span[length + 1] = (byte)'"';
            output.Advance(length + 2);
            return;
        }

        WriteEscaped(output, utf8.ToArray());
    }

    private static void WriteEscaped(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        WriteByte(output, (byte)'"');
        while (!utf8.IsEmpty)
        {
            var special = utf8.IndexOfAny((byte)'"', (byte)'\\');
            if (special < 0)
            {
                WriteBytes(output, utf8);
                break;
            }

            WriteBytes(output, utf8[..special]);
            WriteByte(output, (byte)'\\');
            WriteByte(output, utf8[special]);
            utf8 = utf8[(special + 1)..];
        }

        WriteByte(output, (byte)'"');
    }

    private static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    /// <summary>Parses untrusted JSON bytes into the canonical model, enforcing the limits.</summary>
    public static JsonNodeValue Parse(ReadOnlySpan<byte> json, int maxBytes = DefaultMaxBytes, int maxDepth = DefaultMaxDepth)
    {
        var state = new ParseState(json, null);
        return Parse(ref state, maxBytes, maxDepth);
    }

    /// <summary>Parses and requires an object at the top level.</summary>
    public static JsonObjectValue ParseObject(ReadOnlySpan<byte> json, int maxBytes = DefaultMaxBytes) =>
        ParseObject(json, maxBytes, null, out _);

    /// <summary>
    /// Parses and requires an object at the top level. When that object has a member named
    /// <paramref name="canonicalMember"/> whose value is written in <paramref name="json"/> exactly
    /// as canonical JSON (no whitespace, members sorted, only the two canonical string escapes,
    /// integers in shortest form), <paramref name="canonicalRange"/> is the range of those bytes:
    /// then they equal <see cref="Serialize"/> of the parsed value, and a signature over them is a
    /// signature over that value's canonical form. Otherwise it is null.
    /// </summary>
    internal static JsonObjectValue ParseObject(ReadOnlySpan<byte> json, int maxBytes, string? canonicalMember, out Range? canonicalRange)
    {
        var state = new ParseState(json, canonicalMember);
        var value = Parse(ref state, maxBytes, DefaultMaxDepth) as JsonObjectValue
            ?? throw new MalformedInputException("JSON document is not an object.");
        canonicalRange = state.MemberStart >= 0 ? state.MemberStart..state.MemberEnd : null;
        return value;
    }

    private static JsonNodeValue Parse(ref ParseState state, int maxBytes, int maxDepth)
    {
        if (state.Json.Length > maxBytes)
            throw new MalformedInputException($"JSON document of {state.Json.Length} bytes exceeds the limit of {maxBytes}.");
        if (state.Json.IsEmpty) throw new MalformedInputException("JSON document is empty.");
        try
        {
            var reader = new Utf8JsonReader(state.Json, new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Disallow,
                AllowTrailingCommas = false,
                MaxDepth = maxDepth,
            });
            if (!reader.Read()) throw new MalformedInputException("JSON document holds no value.");
            state.PreviousEnd = (int)reader.TokenStartIndex;
            state.Track(ref reader);
            var value = ReadValue(ref reader, ref state);
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

    private static JsonNodeValue ReadValue(ref Utf8JsonReader reader, ref ParseState state)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.ValueIsEscaped ? new JsonStringValue(ReadString(ref reader, ref state)) : state.Caches.String(reader.ValueSpan);
            case JsonTokenType.Number:
                return ReadInteger(ref reader, ref state);
            case JsonTokenType.True:
                return JsonBoolValue.True;
            case JsonTokenType.False:
                return JsonBoolValue.False;
            case JsonTokenType.Null:
                return JsonNullValue.Instance;
            case JsonTokenType.StartArray:
                var items = state.Caches.RentItems();
                state.Depth++;
                while (Next(ref reader, ref state) != JsonTokenType.EndArray) items.Add(ReadValue(ref reader, ref state));
                state.Depth--;
                return new JsonArrayValue(state.Caches.Return(items));
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, ref state);
            default:
                throw new MalformedInputException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static JsonObjectValue ReadObject(ref Utf8JsonReader reader, ref ParseState state)
    {
        var top = state.Depth++ == 0;
        var members = state.Caches.RentMembers();
        var sorted = true;
        string? previous = null;
        while (Next(ref reader, ref state) != JsonTokenType.EndObject)
        {
            var name = ReadString(ref reader, ref state);
            if (previous is not null && sorted)
            {
                var order = JsonObjectValue.CompareNames(previous, name);
                if (order == 0) throw new MalformedInputException($"Duplicate JSON member \"{name}\".");
                sorted = order < 0;
            }

            previous = name;
            Next(ref reader, ref state);
            var start = (int)reader.TokenStartIndex;
            var violations = state.Violations;
            members.Add(new(name, ReadValue(ref reader, ref state)));
            if (top && name == state.CanonicalMember)
            {
                var canonical = state.Violations == violations;
                state.MemberStart = canonical ? start : -1;
                state.MemberEnd = canonical ? state.PreviousEnd : -1;
            }
        }

        // Unsorted members are accepted (other writers indent or order freely) but are not canonical.
        if (!sorted) state.Violations++;
        state.Depth--;
        return JsonObjectValue.FromParsed(state.Caches.Return(members), sorted);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader, ref ParseState state)
    {
        if (!reader.Read()) throw new MalformedInputException("Truncated JSON document.");
        state.Track(ref reader);
        return reader.TokenType;
    }

    private static string ReadString(ref Utf8JsonReader reader, ref ParseState state)
    {
        // The reader is built over one contiguous span, so ValueSpan is the raw (still escaped) text.
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            // Strict decoding rejects every invalid UTF-8 form (overlong, surrogate, truncated), so the
            // string re-encodes to exactly these bytes and cannot hold a lone surrogate.
            return state.Caches.String(raw).Value;
        }

        // Canonical JSON escapes only " and \ (as \" and \\); any other escape is valid JSON but not canonical.
        for (var i = 0; i < raw.Length - 1; i++)
        {
            if (raw[i] != (byte)'\\') continue;
            if (raw[i + 1] is not ((byte)'"' or (byte)'\\')) state.Violations++;
            i++; // skip the escaped character, which may itself be a backslash
        }

        var value = reader.GetString() ?? throw new MalformedInputException("Null JSON string.");
        // Escapes such as \ud800 decode to lone surrogates, which have no UTF-8 form: reject them.
        EncodeUtf8(value);
        return value;
    }

    private static JsonIntegerValue ReadInteger(ref Utf8JsonReader reader, ref ParseState state)
    {
        var raw = reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
            throw new MalformedInputException("Floating-point numbers are not allowed in canonical JSON.");
        if (!reader.TryGetInt64(out var value))
            throw new MalformedInputException("JSON integer does not fit in 64 bits.");
        // JSON already forbids leading zeros and "+"; "-0" is the one integer spelling that is not canonical.
        Span<byte> canonical = stackalloc byte[MaxIntegerBytes];
        value.TryFormat(canonical, out var length, default, CultureInfo.InvariantCulture);
        if (!raw.SequenceEqual(canonical[..length])) state.Violations++;
        return value is >= 0 and < SmallIntegerCount ? SmallIntegers[value] : new JsonIntegerValue(value);
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

    /// <summary>
    /// Parser state: the canonical-form evidence (<see cref="Violations"/> counts every departure
    /// from canonical JSON seen so far, so a value is canonical when the count did not change while it
    /// was read) and the string cache.
    /// </summary>
    private ref struct ParseState(ReadOnlySpan<byte> json, string? canonicalMember)
    {
        public readonly ReadOnlySpan<byte> Json = json;
        public readonly string? CanonicalMember = canonicalMember;
        public readonly ParseCaches Caches = new();
        public int Violations;
        public int Depth;
        public int PreviousEnd;
        public int MemberStart = -1;
        public int MemberEnd = -1;

        /// <summary>
        /// Called after every token: canonical JSON has nothing between two tokens but at most one
        /// "," or ":" (the reader has already checked the grammar, so any other byte is whitespace).
        /// </summary>
        public void Track(ref Utf8JsonReader reader)
        {
            var start = (int)reader.TokenStartIndex;
            var gap = start - PreviousEnd;
            if (gap != 0 && (gap != 1 || Json[PreviousEnd] is not ((byte)',' or (byte)':'))) Violations++;
            PreviousEnd = start + reader.TokenType switch
            {
                JsonTokenType.String or JsonTokenType.PropertyName => reader.ValueSpan.Length + 2,
                JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null => reader.ValueSpan.Length,
                _ => 1,
            };
        }
    }

    /// <summary>
    /// Per-document allocation savers: a cache of short unescaped strings (TUF metadata repeats member
    /// names such as "length", "hashes", "sha256" and small values in every target) and reusable
    /// scratch lists for the members of the objects and arrays being read.
    /// </summary>
    private sealed class ParseCaches
    {
        private const int MaxCachedBytes = 32;
        private readonly JsonStringValue?[] _strings = new JsonStringValue?[1024];
        private readonly Stack<List<KeyValuePair<string, JsonNodeValue>>> _members = new();
        private readonly Stack<List<JsonNodeValue>> _items = new();

        /// <summary>The value of an unescaped string's raw UTF-8, which is validated strictly.</summary>
        public JsonStringValue String(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > MaxCachedBytes) return new JsonStringValue(Decode(utf8));
            uint hash = 2166136261;
            foreach (var b in utf8) hash = (hash ^ b) * 16777619;
            ref var slot = ref _strings[hash & (uint)(_strings.Length - 1)];
            // A hit needs equal ASCII text; anything else is decoded (and validated) afresh.
            if (slot is { } cached && cached.Value.Length == utf8.Length && Ascii.Equals(utf8, cached.Value)) return cached;
            return slot = new JsonStringValue(Decode(utf8));
        }

        public List<KeyValuePair<string, JsonNodeValue>> RentMembers() => _members.TryPop(out var list) ? list : [];

        public List<JsonNodeValue> RentItems() => _items.TryPop(out var list) ? list : [];

        public KeyValuePair<string, JsonNodeValue>[] Return(List<KeyValuePair<string, JsonNodeValue>> list)
        {
            var result = list.ToArray();
            list.Clear();
            _members.Push(list);
            return result;
        }

        public JsonNodeValue[] Return(List<JsonNodeValue> list)
        {
            var result = list.ToArray();
            list.Clear();
            _items.Push(list);
            return result;
        }

        private static string Decode(ReadOnlySpan<byte> utf8)
        {
            try
            {
                return StrictUtf8.GetString(utf8);
            }
            catch (DecoderFallbackException e)
            {
                throw new MalformedInputException("JSON string is not valid UTF-8.", e);
            }
        }
    }
}
