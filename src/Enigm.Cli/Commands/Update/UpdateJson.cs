using System.Text.Json.Nodes;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;

namespace Enigm.Cli.Commands.Update;

/// <summary>How a release and its eligibility decision look in <c>--json</c> output.</summary>
internal static class UpdateJson
{
    public static JsonObject Release(ResolvedTarget target, EligibilityDecision decision) => new()
    {
        ["target"] = target.Path,
        ["version"] = decision.Rules?.Version,
        ["length"] = target.File.Length,
        ["role"] = target.Role,
        ["eligible"] = decision.Eligible,
        ["has_rules"] = decision.HasRules,
        ["checks"] = new JsonArray([.. decision.Checks.Select(c => (JsonNode)new JsonObject { ["rule"] = c.Rule, ["passed"] = c.Passed, ["reason"] = c.Reason })]),
    };
}
