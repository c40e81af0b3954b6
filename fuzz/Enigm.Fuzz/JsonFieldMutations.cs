using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enigm.Fuzz;

/// <summary>
/// Structure-aware mutants of a JSON body (the relay's requests): each base64 string field's decoded bytes are
/// truncated, bit-flipped and extended, then re-encoded into an otherwise unchanged document, so the mutation reaches
/// the decoders and validators behind the JSON layer instead of breaking the JSON. The deterministic counterpart of
/// fuzz/json_base64_mutator.py (what afl-fuzz runs for relay-* targets). A seed that is not a JSON object or array
/// gives nothing.
/// </summary>
public static class JsonFieldMutations
{
    /// <summary>Fields mutated per seed (the first ones in document order), so a large body stays a bounded case list.</summary>
    public const int MaxFields = 8;

    public static IEnumerable<(string Label, byte[] Bytes)> Of(byte[] seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var fields = FieldsOf(seed);
        foreach (var (field, index) in fields.Select((f, i) => (f, i)))
        {
            foreach (var (label, bytes) in Variants(field.Decoded))
            {
                var copy = JsonNode.Parse(seed)!;
                Replace(copy, field.Path, Convert.ToBase64String(bytes));
                yield return ($"json-{index}-{label}", System.Text.Encoding.UTF8.GetBytes(copy.ToJsonString()));
            }
        }
    }

    /// <summary>The seed's first base64 fields, or none when it is not a JSON object or array System.Text.Json can hold.</summary>
    private static List<Field> FieldsOf(byte[] seed)
    {
        try
        {
            var document = JsonNode.Parse(seed, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
            return document is JsonObject or JsonArray ? [.. Base64Fields(document).Take(MaxFields)] : [];
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON, or JSON a JsonNode cannot hold (a repeated property name): no structure to mutate.
            return [];
        }
    }

    private static IEnumerable<(string Label, byte[] Bytes)> Variants(byte[] data)
    {
        yield return ("empty", []);
        if (data.Length > 1) yield return ("half", data[..(data.Length / 2)]);
        if (data.Length > 0)
        {
            foreach (var position in new[] { 0, data.Length / 2, data.Length - 1 }.Distinct())
            {
                var flipped = (byte[])data.Clone();
                flipped[position] ^= 0x80;
                yield return ($"flip-{position}", flipped);
            }

            yield return ("doubled", [.. data, .. data]);
        }

        yield return ("append-ff", [.. data, 0xFF]);
    }

    private sealed record Field(IReadOnlyList<object> Path, byte[] Decoded);

    private static IEnumerable<Field> Base64Fields(JsonNode node, List<object>? path = null)
    {
        path ??= [];
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is null) continue;
                    foreach (var field in Base64Fields(child, [.. path, name])) yield return field;
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not { } child) continue;
                    foreach (var field in Base64Fields(child, [.. path, i])) yield return field;
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Length >= 4 && text.Length % 4 == 0:
                var buffer = new byte[text.Length];
                if (Convert.TryFromBase64String(text, buffer, out var written)) yield return new Field(path, buffer[..written]);
                break;
        }
    }

    private static void Replace(JsonNode root, IReadOnlyList<object> path, string value)
    {
        var node = root;
        for (var i = 0; i < path.Count - 1; i++) node = path[i] is string name ? node[name]! : node[(int)path[i]]!;
        if (path[^1] is string last) node[last] = value;
        else node[(int)path[^1]] = value;
    }
}
