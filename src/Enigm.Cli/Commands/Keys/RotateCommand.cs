using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys rotate ID</c>: a new active version; the old one verifies/decrypts until its grace ends.</summary>
internal static class RotateCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var reason = KeyOptions.Reason();
        var grace = KeyOptions.Grace();
        return cli.Command(
            "rotate",
            "Make a new version active; the old one verifies/decrypts until its grace ends.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
                KeysCommand.One(cli.Narrator(p), ring.Rotate(p.GetValue(id)!, p.GetValue(reason) ?? "rotation", KeyArguments.Grace(p.GetValue(grace))))),
            id,
            reason,
            grace);
    }
}
