using System.Text.Json;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>Small readers for the vector files' JSON (hex is upper or lower case; base64 is standard).</summary>
public static class VectorJson
{
    public static byte[] Hex(this JsonElement element, string property) =>
        Convert.FromHexString(element.GetProperty(property).GetString() ?? string.Empty);

    public static byte[]? HexOrNull(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? Convert.FromHexString(value.GetString()!)
            : null;

    public static byte[] Base64(this JsonElement element, string property) =>
        Convert.FromBase64String(element.GetProperty(property).GetString() ?? string.Empty);

    public static string Str(this JsonElement element, string property) =>
        element.GetProperty(property).GetString() ?? string.Empty;

    public static string? StrOrNull(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool Flag(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>Wycheproof verdict of a test case: "valid", "invalid" or "acceptable".</summary>
    public static string Result(this JsonElement testCase) => testCase.Str("result");

    /// <summary>Wycheproof: every (group, case) pair of the file.</summary>
    public static IEnumerable<(JsonElement Group, JsonElement Case)> WycheproofCases(this JsonDocument document)
    {
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
            foreach (var testCase in group.GetProperty("tests").EnumerateArray())
                yield return (group, testCase);
    }

    /// <summary>
    /// ACVP: pairs prompt and expected-result cases by (tgId, tcId), yielding the prompt group, the
    /// prompt case and the expected case.
    /// </summary>
    public static IEnumerable<(JsonElement Group, JsonElement Prompt, JsonElement Expected)> AcvpCases(JsonDocument prompt, JsonDocument expected)
    {
        var answers = new Dictionary<(int, int), JsonElement>();
        foreach (var group in expected.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var tgId = group.GetProperty("tgId").GetInt32();
            foreach (var testCase in group.GetProperty("tests").EnumerateArray())
                answers[(tgId, testCase.GetProperty("tcId").GetInt32())] = testCase;
        }

        foreach (var group in prompt.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            var tgId = group.GetProperty("tgId").GetInt32();
            foreach (var testCase in group.GetProperty("tests").EnumerateArray())
            {
                var key = (tgId, testCase.GetProperty("tcId").GetInt32());
                if (answers.TryGetValue(key, out var answer))
                    yield return (group, testCase, answer);
            }
        }
    }
}
