using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys resume ID</c>: a suspended key becomes active again.</summary>
internal static class ResumeCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var reason = KeyOptions.Reason();
        return cli.Command(
            "resume",
            "Resume a suspended key.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring => KeysCommand.One(cli.Narrator(p), ring.Resume(p.GetValue(id)!, p.GetValue(reason)))),
            id,
            reason);
    }
}
