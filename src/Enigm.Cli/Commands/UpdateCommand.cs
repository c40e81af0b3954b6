using System.CommandLine;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands;

/// <summary><c>enigm update …</c>.</summary>
public static class UpdateCommand
{
    public static Command Build(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        _ = json;
        _ = output;
        var command = new Command("update", "Check for and fetch verified updates (placeholder until issue 5's updater lands).");
        command.SetAction(_ => guard(() => throw new UsageException("enigm update is not implemented yet.")));
        return command;
    }
}
