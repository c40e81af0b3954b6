using System.CommandLine;
using Enigm.Cli.Commands;
using Enigm.Cli.Commands.Contact;
using Enigm.Cli.Commands.Demo;
using Enigm.Cli.Commands.Device;
using Enigm.Cli.Commands.Help;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Commands.Messages;
using Enigm.Cli.Commands.Release;
using Enigm.Cli.Commands.SelfTest;
using Enigm.Cli.Commands.Server;
using Enigm.Cli.Commands.Suites;
using Enigm.Cli.Commands.Trust;
using Enigm.Cli.Commands.Update;

namespace Enigm.Cli;

/// <summary>Composes the command tree; every command lives in its own folder under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Entry point for tests: runs one command line against the given writers.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var cli = new CliContext(output, error);
        var root = new RootCommand(
            "enigm — post-quantum encryption, keys and signed software updates.\n" +
            "New here? 'enigm demo' shows every part working (about a minute); 'enigm COMMAND --help' explains each command.");
        root.Options.Add(cli.Json);
        cli.AddHelpFooter(root, HelpCommand.Summary);
        root.Subcommands.Add(DemoCommand.Build(cli));
        foreach (var device in DeviceCommands(cli)) root.Subcommands.Add(device);
        root.Subcommands.Add(SelfTestCommand.Build(cli));
        root.Subcommands.Add(SuitesCommand.Build(cli));
        root.Subcommands.Add(KeysCommand.Build(cli));
        root.Subcommands.Add(ReleaseCommand.Build(cli));
        root.Subcommands.Add(UpdateCommand.Build(cli));
        root.Subcommands.Add(TrustCommand.Build(cli));
        root.Subcommands.Add(ServerCommand.Build(cli));
        root.Subcommands.Add(Commands.Center.CenterCommand.Build(cli));
        root.Subcommands.Add(Commands.Org.OrgCommand.Build(cli)); // issue 14: organisation administration
        root.Subcommands.Add(Commands.Posture.PostureCommand.Build(cli)); // issue 14: this device's posture
        root.Subcommands.Add(HelpCommand.Build(cli, root));
        return cli.Invoke(root, args);
    }

    /// <summary>The messaging product over the client SDK: one device's account, devices, contacts and messages.</summary>
    private static Command[] DeviceCommands(CliContext cli) =>
    [
        Commands.Account.InitCommand.Build(cli),
        DeviceCommand.Build(cli),
        ContactCommand.Build(cli),
        Commands.Contact.SafetyNumberCommand.Build(cli),
        SendCommand.Build(cli),
        ReceiveCommand.Build(cli),
        Commands.Group.GroupCommand.Build(cli),
        Commands.Call.CallCommand.Build(cli),
    ];
}
