using System.CommandLine;
using Enigm.Ota.Repository;

namespace Enigm.Cli.Commands.Release;

/// <summary>
/// <c>enigm release …</c>: the signing side of a TUF repository (<see cref="TufRepository"/>). Each key
/// holder runs the commands with their own <c>--home</c>; signatures accumulate in the repository's
/// staged metadata until every threshold is met and <c>publish</c> writes a consistent snapshot.
/// Each subcommand lives in its own file here.
/// </summary>
public static class ReleaseCommand
{
    public static Command Build(CliContext cli)
    {
        var holder = new HolderCommands(cli);
        var release = new Command("release", "Sign and publish TUF release repositories (root, targets with delegations, snapshot, timestamp; consistent snapshots).");
        release.Options.Add(cli.Home);
        release.Options.Add(holder.Argon);
        Command[] subcommands =
        [
            KeygenCommand.Build(holder),
            InitCommand.Build(holder),
            AddCommand.Build(holder),
            DelegateCommand.Build(holder),
            SignCommand.Build(holder),
            StatusCommand.Build(holder),
            PublishCommand.Build(holder),
            TimestampCommand.Build(holder),
            RotateKeyCommand.Build(holder),
            RevokeKeyCommand.Build(holder),
            ServeCommand.Build(cli),
        ];
        foreach (var subcommand in subcommands) release.Subcommands.Add(subcommand);
        return release;
    }
}
