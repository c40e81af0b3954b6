using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys suspend ID --reason R</c>: no signing or encryption until resumed.</summary>
internal static class SuspendCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var reason = KeyOptions.RequiredReason("Why.");
        return cli.Command(
            "suspend",
            "Suspend a key: no signing or encryption until resumed.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring => KeysCommand.One(cli.Narrator(p), ring.Suspend(p.GetValue(id)!, p.GetValue(reason)!))),
            id,
            reason);
    }
}
