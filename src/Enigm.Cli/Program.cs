using System.CommandLine;
using Enigm.Cli.Commands;
using Enigm.Cli.Commands.Demo;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Commands.Release;
using Enigm.Cli.Commands.SelfTest;
using Enigm.Cli.Commands.Suites;
using Enigm.Cli.Commands.Trust;
using Enigm.Cli.Commands.Update;
using Enigm.Cli.Output;

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
            "enigm — post-quantum secure messaging and software delivery.\n\nExit codes:\n" +
            string.Join('\n', ExitCodes.Table.Select(e => $"  {e.Code,3}  {e.Meaning}")));
        root.Options.Add(cli.Json);
        root.Subcommands.Add(DemoCommand.Build(cli));
        root.Subcommands.Add(SelfTestCommand.Build(cli));
        root.Subcommands.Add(SuitesCommand.Build(cli));
        root.Subcommands.Add(KeysCommand.Build(cli));
        root.Subcommands.Add(ReleaseCommand.Build(cli));
        root.Subcommands.Add(UpdateCommand.Build(cli));
        root.Subcommands.Add(TrustCommand.Build(cli));
        return cli.Invoke(root, args);
    }
}
