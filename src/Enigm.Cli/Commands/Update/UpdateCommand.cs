using System.CommandLine;

namespace Enigm.Cli.Commands.Update;

/// <summary>
/// <c>enigm update check|fetch</c>: the device side of OTA. Both run the TUF client workflow against
/// <c>--repo</c> (root chain, timestamp, snapshot, targets, delegations) with the trusted metadata
/// persisted in <c>--state</c>, then evaluate each release's eligibility rules for <c>--device</c>.
/// </summary>
public static class UpdateCommand
{
    public static Command Build(CliContext cli)
    {
        var options = new UpdateOptions();
        var update = new Command("update", "Check for and fetch verified updates (TUF client workflow, eligibility rules).");
        options.AddTo(update);
        update.Subcommands.Add(CheckCommand.Build(cli, options));
        update.Subcommands.Add(FetchCommand.Build(cli, options));
        return update;
    }
}
