using System.Collections;
using Enigm.Crypto.Errors;

namespace Enigm.Ota.Metadata;

/// <summary>
/// A value of the canonical JSON data model TUF signs (TUF 4.1 "canonical JSON", the OLPC /
/// securesystemslib dialect): objects, arrays, strings, integers, booleans and null. There are no
/// floating-point numbers in this model on purpose.
/// </summary>
public abstract class JsonNodeValue
{
    private protected JsonNodeValue()
    {
    }

    /// <summary>The JSON type name, for error messages.</summary>
    public abstract string TypeName { get; }
}

public sealed class JsonStringValue(string value) : JsonNodeValue
{
    public string Value { get; } = value ?? throw new ArgumentNullException(nameof(value));

    public override string TypeName => "string";

    public override string ToString() => Value;
}

public sealed class JsonIntegerValue(long value) : JsonNodeValue
{
    public long Value { get; } = value;

    public override string TypeName => "integer";
}

public sealed class JsonBoolValue : JsonNodeValue
{
    public static readonly JsonBoolValue True = new(true);
    public static readonly JsonBoolValue False = new(false);

    private JsonBoolValue(bool value) => Value = value;

    public bool Value { get; }

    public override string TypeName => "boolean";

    public static JsonBoolValue Of(bool value) => value ? True : False;
}

public sealed class JsonNullValue : JsonNodeValue
{
    public static readonly JsonNullValue Instance = new();

    private JsonNullValue()
    {
    }

    public override string TypeName => "null";
}

public sealed class JsonArrayValue(IReadOnlyList<JsonNodeValue> items) : JsonNodeValue, IReadOnlyList<JsonNodeValue>
{
    private readonly IReadOnlyList<JsonNodeValue> _items = items;

    public override string TypeName => "array";

    public int Count => _items.Count;

    public JsonNodeValue this[int index] => _items[index];

    public IEnumerator<JsonNodeValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A JSON object with unique member names. Members are kept sorted in canonical order (by the
/// UTF-8 bytes of their names, i.e. by Unicode code point), which is the order they enumerate in and
/// the order the canonical writer emits; lookups are a binary search. The typed accessors throw
/// <see cref="MalformedInputException"/> naming the member, so the metadata parsers can stay short.
/// </summary>
public sealed class JsonObjectValue : JsonNodeValue, IReadOnlyDictionary<string, JsonNodeValue>
{
    private readonly KeyValuePair<string, JsonNodeValue>[] _members;

    public JsonObjectValue(IEnumerable<KeyValuePair<string, JsonNodeValue>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var array = members.ToArray();
        foreach (var (name, value) in array)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(value);
        }

        _members = SortUnique(array);
    }

    /// <summary>Takes ownership of members already sorted by <see cref="CompareNames"/> and unique.</summary>
    private JsonObjectValue(KeyValuePair<string, JsonNodeValue>[] sortedUniqueMembers) => _members = sortedUniqueMembers;

    public static JsonObjectValue Empty { get; } = new(Array.Empty<KeyValuePair<string, JsonNodeValue>>());

    public override string TypeName => "object";

    public int Count => _members.Length;

    public IEnumerable<string> Keys => _members.Select(m => m.Key);

    public IEnumerable<JsonNodeValue> Values => _members.Select(m => m.Value);

    public JsonNodeValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No JSON member \"{key}\".");

    /// <summary>The members in canonical order.</summary>
    internal ReadOnlySpan<KeyValuePair<string, JsonNodeValue>> Members => _members;

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, out JsonNodeValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        int lo = 0, hi = _members.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = CompareNames(_members[mid].Key, key);
            if (c == 0)
            {
                value = _members[mid].Value;
                return true;
            }

            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }

        value = null!;
        return false;
    }

    public IEnumerator<KeyValuePair<string, JsonNodeValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, JsonNodeValue>>)_members).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Canonical member order: the byte order of the names' UTF-8 encodings, which is Unicode code
    /// point order. Ordinal UTF-16 order differs only when both strings have a unit at or above
    /// U+D800 at the first difference: surrogates (code points from U+10000) must sort after
    /// U+E000–U+FFFF, so those units are remapped before comparing.
    /// </summary>
    internal static int CompareNames(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length - b.Length;
        int x = a[common], y = b[common];
        if (x >= 0xD800 && y >= 0xD800)
        {
            x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
            y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
        }

        return x - y;
    }

    /// <summary>Builds an object from parsed members, sorting them unless <paramref name="sorted"/> says they already are (and are unique).</summary>
    internal static JsonObjectValue FromParsed(KeyValuePair<string, JsonNodeValue>[] members, bool sorted) =>
        new(sorted ? members : SortUnique(members));

    private static KeyValuePair<string, JsonNodeValue>[] SortUnique(KeyValuePair<string, JsonNodeValue>[] members)
    {
        Array.Sort(members, static (a, b) => CompareNames(a.Key, b.Key));
        for (var i = 1; i < members.Length; i++)
        {
            if (members[i - 1].Key == members[i].Key)
                throw new MalformedInputException($"Duplicate JSON member \"{members[i].Key}\".");
        }

        return members;
    }

    public T Required<T>(string name)
        where T : JsonNodeValue
    {
        if (!TryGetValue(name, out var value))
            throw new MalformedInputException($"Missing JSON member \"{name}\".");
        return value as T
            ?? throw new MalformedInputException($"JSON member \"{name}\" is a {value.TypeName}, not the expected type.");
    }

    public T? Optional<T>(string name)
        where T : JsonNodeValue
    {
        if (!TryGetValue(name, out var value)) return null;
        return value as T
            ?? throw new MalformedInputException($"JSON member \"{name}\" is a {value.TypeName}, not the expected type.");
    }

    public string RequiredString(string name) => Required<JsonStringValue>(name).Value;

    public long RequiredInteger(string name) => Required<JsonIntegerValue>(name).Value;

    public bool RequiredBool(string name) => Required<JsonBoolValue>(name).Value;
}
