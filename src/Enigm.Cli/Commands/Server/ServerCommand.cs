using System.CommandLine;

namespace Enigm.Cli.Commands.Server;

/// <summary><c>enigm server …</c>: the relay (docs/relay-api.md). Each subcommand lives in its own file here (<c>run</c>).</summary>
public static class ServerCommand
{
    public static Command Build(CliContext cli)
    {
        var server = new Command("server", "Run the Enigm relay (mailboxes, directory, key transparency, OTA hosting).");
        server.Subcommands.Add(RunCommand.Build(cli));
        return server;
    }
}
