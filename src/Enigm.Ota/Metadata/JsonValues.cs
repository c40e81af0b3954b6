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
/// A JSON object with unique member names. Member order is irrelevant: the canonical writer sorts
/// names. The typed accessors throw <see cref="MalformedInputException"/> naming the member, so the
/// metadata parsers can stay short.
/// </summary>
public sealed class JsonObjectValue : JsonNodeValue, IReadOnlyDictionary<string, JsonNodeValue>
{
    private readonly Dictionary<string, JsonNodeValue> _members;

    public JsonObjectValue(IEnumerable<KeyValuePair<string, JsonNodeValue>> members)
    {
        _members = new Dictionary<string, JsonNodeValue>(StringComparer.Ordinal);
        foreach (var (name, value) in members)
        {
            if (!_members.TryAdd(name, value))
                throw new MalformedInputException($"Duplicate JSON member \"{name}\".");
        }
    }

    public static JsonObjectValue Empty { get; } = new([]);

    public override string TypeName => "object";

    public int Count => _members.Count;

    public IEnumerable<string> Keys => _members.Keys;

    public IEnumerable<JsonNodeValue> Values => _members.Values;

    public JsonNodeValue this[string key] => _members[key];

    public bool ContainsKey(string key) => _members.ContainsKey(key);

    public bool TryGetValue(string key, out JsonNodeValue value) => _members.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, JsonNodeValue>> GetEnumerator() => _members.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public T Required<T>(string name)
        where T : JsonNodeValue
    {
        if (!_members.TryGetValue(name, out var value))
            throw new MalformedInputException($"Missing JSON member \"{name}\".");
        return value as T
            ?? throw new MalformedInputException($"JSON member \"{name}\" is a {value.TypeName}, not the expected type.");
    }

    public T? Optional<T>(string name)
        where T : JsonNodeValue
    {
        if (!_members.TryGetValue(name, out var value)) return null;
        return value as T
            ?? throw new MalformedInputException($"JSON member \"{name}\" is a {value.TypeName}, not the expected type.");
    }

    public string RequiredString(string name) => Required<JsonStringValue>(name).Value;

    public long RequiredInteger(string name) => Required<JsonIntegerValue>(name).Value;

    public bool RequiredBool(string name) => Required<JsonBoolValue>(name).Value;
}
