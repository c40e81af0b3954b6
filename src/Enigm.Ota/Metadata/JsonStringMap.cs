using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Enigm.Ota.Metadata;

/// <summary>
/// A read-only string → string view of a parsed JSON object whose values were all checked to be
/// strings (TUF HASHES), so the typed model need not copy each target's hashes into a dictionary.
/// </summary>
internal sealed class JsonStringMap(JsonObjectValue json) : IReadOnlyDictionary<string, string>
{
    public int Count => json.Count;

    public IEnumerable<string> Keys => json.Keys;

    public IEnumerable<string> Values => json.Values.Select(v => ((JsonStringValue)v).Value);

    public string this[string key] => ((JsonStringValue)json[key]).Value;

    public bool ContainsKey(string key) => json.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = json.TryGetValue(key, out var node) ? ((JsonStringValue)node).Value : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        json.Select(m => new KeyValuePair<string, string>(m.Key, ((JsonStringValue)m.Value).Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
