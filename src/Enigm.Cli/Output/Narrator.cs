using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enigm.Cli.Output;

/// <summary>
/// Writes what a command does: human narration with progress and verdict lines, or, with
/// <c>--json</c>, a single JSON document at the end (narration is then suppressed).
/// </summary>
public sealed class Narrator(TextWriter output, bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public bool Json { get; } = json;

    public void Heading(string text)
    {
        if (Json) return;
        output.WriteLine();
        output.WriteLine($"== {text} ==");
    }

    public void Step(string text)
    {
        if (!Json) output.WriteLine($"  .. {text}");
    }

    public void Info(string text)
    {
        if (!Json) output.WriteLine($"     {text}");
    }

    public void Verdict(bool ok, string claim)
    {
        if (!Json) output.WriteLine($"  [{(ok ? "PASS" : "FAIL")}] {claim}");
    }

    public void Line(string text)
    {
        if (!Json) output.WriteLine(text);
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (Json) return;
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        string Format(IReadOnlyList<string> cells) => "  " + string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Format(headers));
        output.WriteLine(Format([.. widths.Select(w => new string('-', w))]));
        foreach (var row in all) output.WriteLine(Format(row));
    }

    public void WriteJson(JsonNode document)
    {
        if (Json) output.WriteLine(document.ToJsonString(Indented));
    }
}
