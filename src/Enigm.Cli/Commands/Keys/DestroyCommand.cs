using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys destroy ID</c>: the private material is overwritten and removed, the store rebuilt.</summary>
internal static class DestroyCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var reason = KeyOptions.Reason();
        return cli.Command(
            "destroy",
            "Destroy a key's private material (overwritten, removed, store rebuilt).",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring => KeysCommand.One(cli.Narrator(p), ring.Destroy(p.GetValue(id)!, p.GetValue(reason) ?? "destroyed"))),
            id,
            reason);
    }
}
