using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys list</c>: every key version, and every row that fails its integrity check or was deleted (exit 24).</summary>
internal static class ListCommand
{
    public static Command Build(CliContext cli) => cli.Command(
        "list",
        "List every key version.",
        p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
        {
            var n = cli.Narrator(p);
            var all = ring.List(out var damaged);
            KeyJson.Print(n, all);
            foreach (var bad in damaged) n.Line($"  DAMAGED {bad}: row failed its integrity check or was deleted (see 'keys audit verify')");
            n.WriteJson(new JsonObject { ["keys"] = new JsonArray([.. all.Select(k => (JsonNode)KeyJson.ToJson(k))]), ["damaged"] = new JsonArray([.. damaged.Select(d => (JsonNode)JsonValue.Create(d))]) });
            return damaged.Count == 0 ? ExitCodes.Ok : ExitCodes.KeyIntegrity;
        }));
}
