using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys activate ID</c>: pre-activation → active.</summary>
internal static class ActivateCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var reason = KeyOptions.Reason();
        return cli.Command(
            "activate",
            "Activate a pre-activation key.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring => KeysCommand.One(cli.Narrator(p), ring.Activate(p.GetValue(id)!, p.GetValue(reason)))),
            id,
            reason);
    }
}
