using System.Globalization;

namespace Enigm.Fuzz;

/// <summary>
/// Runs inputs through a target without AFL: the CI smoke, crash triage (<c>--replay findings/…/crashes</c>)
/// and the unit test use it. Every input must be accepted or rejected with a typed error.
/// </summary>
public static class Replay
{
    /// <summary>Every input file named by <paramref name="paths"/> (files, or folders searched recursively).</summary>
    public static IEnumerable<string> Files(IEnumerable<string> paths) =>
        paths.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith("README.txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [p]);

    /// <summary>Replays and prints a summary; returns 1 after the first crash (printing input and stack), else 0.</summary>
    public static int Run(FuzzTarget target, IEnumerable<string> paths, bool mutate, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        target.Prepare();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var inputs = 0;
        foreach (var file in Files(paths))
        {
            var seed = File.ReadAllBytes(file);
            var cases = mutate ? Mutations.Of(seed).Prepend(("seed", seed)) : [("seed", seed)];
            foreach (var (label, bytes) in cases)
            {
                inputs++;
                string outcome;
                try
                {
                    outcome = target.Execute(bytes);
                }
#pragma warning disable CA1031 // A crash is reported, not rethrown: replay must name the input.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    output.WriteLine($"CRASH {target.Name} {file} [{label}] input={Convert.ToHexStringLower(bytes)}");
                    output.WriteLine(e.ToString());
                    return 1;
                }

                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }

        var summary = string.Join(", ", outcomes.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Name}: {inputs} inputs, 0 crashes ({summary})"));
        return 0;
    }
}
