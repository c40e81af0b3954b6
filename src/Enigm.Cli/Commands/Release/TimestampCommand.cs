using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release timestamp REPO</c>: a new timestamp for the current snapshot (refreshes freshness).</summary>
internal static class TimestampCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        return holder.Leaf("timestamp", "Sign a new timestamp for the current snapshot (refreshes freshness).", (n, keys, p) =>
        {
            var timestamp = TufRepository.Open(p.GetValue(repo)!).RefreshTimestamp(keys.Signers());
            n.Line($"  timestamp v{timestamp.Signed.Version}, expires {RoleMetadata.FormatExpires(timestamp.Signed.Expires)}");
            n.WriteJson(new JsonObject { ["version"] = timestamp.Signed.Version, ["expires"] = RoleMetadata.FormatExpires(timestamp.Signed.Expires) });
            return ExitCodes.Ok;
        }, repo);
    }
}
