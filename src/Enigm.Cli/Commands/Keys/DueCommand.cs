using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Keys.Model;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys due [--within 30d]</c>: keys past or near the end of their cryptoperiod.</summary>
internal static class DueCommand
{
    public static Command Build(CliContext cli)
    {
        var within = new Option<string>("--within") { Description = "Horizon, e.g. 30d.", DefaultValueFactory = _ => "30d" };
        return cli.Command(
            "due",
            "Keys past or near the end of their cryptoperiod.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
            {
                var n = cli.Narrator(p);
                var due = ring.Due(KeyArguments.Duration(p.GetValue(within))!.Value);
                n.Table(["id", "purpose", "expires", "status"], due.Select(d => (IReadOnlyList<string>)[d.Key.Id, d.Key.Purpose.ToName(), d.Key.ExpiresAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-", d.Overdue ? "OVERDUE" : "due"]));
                n.WriteJson(new JsonArray([.. due.Select(d => (JsonNode)new JsonObject { ["key"] = KeyJson.ToJson(d.Key), ["overdue"] = d.Overdue })]));
                return ExitCodes.Ok;
            }),
            within);
    }
}
