using System.CommandLine;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands;

/// <summary><c>enigm trust …</c>.</summary>
public static class TrustCommand
{
    public static Command Build(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        _ = json;
        _ = output;
        var command = new Command("trust", "Device logs, safety numbers and trust states (placeholder until issue 6 lands).");
        command.SetAction(_ => guard(() => throw new UsageException("enigm trust is not implemented yet.")));
        return command;
    }
}
