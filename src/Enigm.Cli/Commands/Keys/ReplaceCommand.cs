using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys replace ID --reason R</c>: rotate early (e.g. suspected exposure).</summary>
internal static class ReplaceCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var reason = KeyOptions.RequiredReason("Why the key is replaced early.");
        var grace = KeyOptions.Grace();
        return cli.Command(
            "replace",
            "Rotate early (e.g. suspected exposure); a reason is required.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
                KeysCommand.One(cli.Narrator(p), ring.Replace(p.GetValue(id)!, p.GetValue(reason)!, KeyArguments.Grace(p.GetValue(grace))))),
            id,
            reason,
            grace);
    }
}
