using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release publish REPO</c>: check every threshold, write the staged metadata, a new snapshot and timestamp.</summary>
internal static class PublishCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        return holder.Leaf("publish", "Check every threshold, write the staged metadata and new snapshot and timestamp (signed with this holder's online keys).", (n, keys, p) =>
        {
            var result = TufRepository.Open(p.GetValue(repo)!).Publish(keys.Signers());
            n.Line($"  published root v{result.RootVersion}, targets v{result.TargetsVersion}, snapshot v{result.SnapshotVersion}, timestamp v{result.TimestampVersion}");
            foreach (var file in result.WrittenFiles) n.Line($"    {file}");
            n.WriteJson(new JsonObject
            {
                ["root"] = result.RootVersion,
                ["targets"] = result.TargetsVersion,
                ["snapshot"] = result.SnapshotVersion,
                ["timestamp"] = result.TimestampVersion,
                ["files"] = new JsonArray([.. result.WrittenFiles.Select(f => (JsonNode)JsonValue.Create(f))]),
            });
            return ExitCodes.Ok;
        }, repo);
    }
}
