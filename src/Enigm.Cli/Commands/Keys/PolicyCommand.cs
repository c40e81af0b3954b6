using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Keys.Model;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys policy [--purpose P --period D [--grace D]]</c>: show or change the rotation policy.</summary>
internal static class PolicyCommand
{
    public static Command Build(CliContext cli)
    {
        var purpose = new Option<string?>("--purpose") { Description = "Purpose whose rule to change." };
        var period = new Option<string?>("--period") { Description = "New cryptoperiod, e.g. 30d (1h to 20y)." };
        var grace = KeyOptions.Grace();
        return cli.Command(
            "policy",
            "Show the rotation policy per purpose, or change one purpose's cryptoperiod (1h..20y) and grace (0d..10y): --purpose P --period 30d [--grace 7d].",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
            {
                var n = cli.Narrator(p);
                if (p.GetValue(purpose) is { } name)
                {
                    if (!KeyPurposeNames.TryParse(name, out var kp)) throw new UsageException($"unknown purpose '{name}'");
                    var current = ring.Rotation.For(kp);
                    var rule = new RotationRule(KeyArguments.Duration(p.GetValue(period)) ?? current.Cryptoperiod, KeyArguments.Duration(p.GetValue(grace)) ?? current.Grace);
                    // Refused up front: a rule outside the bounds would make every later generate fail.
                    if (RotationPolicy.Problem(rule) is { } problem) throw new UsageException($"{kp.ToName()}: {problem}");
                    ring.SetRotationRule(kp, rule);
                }

                var rules = ring.Rotation.Rules.OrderBy(r => r.Key).ToList();
                n.Table(["purpose", "cryptoperiod", "grace"], rules.Select(r => (IReadOnlyList<string>)[r.Key.ToName(), RotationPolicy.FormatDuration(r.Value.Cryptoperiod), RotationPolicy.FormatDuration(r.Value.Grace)]));
                n.WriteJson(new JsonObject([.. rules.Select(r => KeyValuePair.Create(r.Key.ToName(), (JsonNode?)new JsonObject
                {
                    ["cryptoperiod"] = RotationPolicy.FormatDuration(r.Value.Cryptoperiod),
                    ["grace"] = RotationPolicy.FormatDuration(r.Value.Grace),
                }))]));
                return ExitCodes.Ok;
            }),
            purpose,
            period,
            grace);
    }
}
