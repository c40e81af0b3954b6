using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Suites;

namespace Enigm.Cli.Commands.Suites;

/// <summary><c>enigm suites</c>: the algorithm suites this build knows and the default policy's view of them.</summary>
public static class SuitesCommand
{
    public static Command Build(CliContext cli) => cli.Command(
        "suites",
        "List the algorithm suites and the default policy's status for each.",
        parse => Run(cli.Narrator(parse)));

    public static int Run(Narrator narrator)
    {
        var policy = SuitePolicy.Default;
        narrator.Heading("Algorithm suites");
        foreach (var suite in SuiteRegistry.All)
        {
            narrator.Line($"  suite {suite.Id}  {suite.Name}  [{policy.StatusOf(suite.Id)}]");
            narrator.Table(
                ["use", "algorithm"],
                Uses(suite).Select(u => (IReadOnlyList<string>)[u.Use, u.Algorithm]));
        }

        narrator.WriteJson(new JsonArray([.. SuiteRegistry.All.Select(s => (JsonNode)new JsonObject
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["status"] = policy.StatusOf(s.Id).ToString(),
            ["algorithms"] = new JsonObject([.. Uses(s).Select(u => KeyValuePair.Create(u.Use, (JsonNode?)JsonValue.Create(u.Algorithm)))]),
        })]));
        return ExitCodes.Ok;
    }

    private static IEnumerable<(string Use, string Algorithm)> Uses(Suite s) =>
    [
        ("session-key-agreement", s.SessionKeyAgreement.Name),
        ("session-kem", s.SessionKem.Name),
        ("hybrid-kem", s.HybridKem.Name),
        ("ratchet-kem", s.RatchetKem.Name),
        ("device-signature", s.DeviceSignature.Name),
        ("release-signature", s.ReleaseSignature.Name),
        ("root-signature", s.RootSignature.Name),
        ("aead", s.Aead.Name),
        ("kdf", s.Kdf.Name),
        ("ratchet-kdf", s.RatchetKdf.Name),
        ("hash", s.Hash.Name),
        ("long-hash", s.LongHash.Name),
    ];
}
