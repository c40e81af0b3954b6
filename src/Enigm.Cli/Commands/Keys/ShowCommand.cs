using System.CommandLine;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys show ID</c>: one key.</summary>
internal static class ShowCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        return cli.Command("show", "Show one key.", p => KeysCommand.WithRing(cli.HomeOf(p), ring => KeysCommand.One(cli.Narrator(p), ring.Get(p.GetValue(id)!))), id);
    }
}
