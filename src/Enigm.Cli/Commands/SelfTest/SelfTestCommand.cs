using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Cli.SelfTest;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;

namespace Enigm.Cli.Commands.SelfTest;

/// <summary><c>enigm selftest</c>: known-answer vectors for every algorithm and provider.</summary>
public static class SelfTestCommand
{
    public static Command Build(CliContext cli) => cli.Command(
        "selftest",
        "Run known-answer vectors for every algorithm and every provider available here; exits 1 on any failure.",
        parse => Run(cli.Narrator(parse)));

    public static int Run(Narrator narrator)
    {
        var providers = CryptoProviders.Default;
        narrator.Heading("Self-test: known-answer vectors (embedded sample of NIST ACVP, Wycheproof and draft vectors)");
        var reports = SelfTestRunner.Run(providers, step => narrator.Step(step));

        narrator.Line(string.Empty);
        narrator.Table(
            ["algorithm", "provider", "set", "passed", "failed", "unsupported"],
            reports.Select(r => (IReadOnlyList<string>)
            [
                r.Algorithm.Name, r.Provider, r.Set, Count(r.Passed), Count(r.Failed), Count(r.Unsupported),
            ]));
        foreach (var failure in reports.Where(r => !r.Succeeded))
        {
            narrator.Line($"  FAILED {failure.Set} / {failure.Provider}");
            foreach (var detail in failure.Failures) narrator.Line($"    {detail}");
        }

        // Every algorithm needs at least one provider that proved itself here.
        var uncovered = CryptoAlgorithm.All
            .Where(a => providers.Available(a).Count > 0)
            .Where(a => !reports.Any(r => r.Algorithm == a && r.Provider == providers.SelectedProvider(a) && r.Succeeded))
            .Select(a => a.Name)
            .ToList();
        foreach (var name in uncovered) narrator.Line($"  NO VECTORS for the selected provider of {name}");

        var ok = reports.Count > 0 && reports.All(r => r.Succeeded) && uncovered.Count == 0;
        narrator.Line(ok
            ? $"Self-test passed: {reports.Sum(r => r.Passed)} vectors over {reports.Count} (set, provider) pairs."
            : "Self-test FAILED.");
        narrator.WriteJson(new JsonObject
        {
            ["ok"] = ok,
            ["results"] = new JsonArray([.. reports.Select(r => (JsonNode)new JsonObject
            {
                ["algorithm"] = r.Algorithm.Name,
                ["provider"] = r.Provider,
                ["set"] = r.Set,
                ["passed"] = r.Passed,
                ["failed"] = r.Failed,
                ["unsupported"] = r.Unsupported,
                ["failures"] = new JsonArray([.. r.Failures.Select(f => (JsonNode)JsonValue.Create(f))]),
            })]),
            ["uncovered"] = new JsonArray([.. uncovered.Select(n => (JsonNode)JsonValue.Create(n))]),
        });
        return ok ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    private static string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
