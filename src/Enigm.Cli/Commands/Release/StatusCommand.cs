using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release status REPO</c>: the staged roles and how many signatures each still needs.</summary>
internal static class StatusCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        return holder.Leaf("status", "Show the staged roles and how many signatures each still needs.", (n, _, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var statuses = repository.StagedRoles.Select(repository.Status).ToList();
            n.Table(["role", "version", "signatures", "threshold"], statuses.Select(s => (IReadOnlyList<string>)[s.Role, s.Version.ToString(CultureInfo.InvariantCulture), s.ValidSignatures.ToString(CultureInfo.InvariantCulture), s.Threshold.ToString(CultureInfo.InvariantCulture)]));
            n.WriteJson(new JsonObject
            {
                ["staged"] = new JsonArray([.. statuses.Select(s => (JsonNode)ReleaseJson.Status(s, []))]),
                ["timestampVersion"] = repository.PublishedTimestamp?.Signed.Version,
            });
            return ExitCodes.Ok;
        }, repo);
    }
}
