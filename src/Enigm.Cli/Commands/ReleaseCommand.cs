using System.CommandLine;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands;

/// <summary><c>enigm release …</c>.</summary>
public static class ReleaseCommand
{
    public static Command Build(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        _ = json;
        _ = output;
        var command = new Command("release", "Sign and publish TUF release repositories (placeholder until issue 5's repository side lands).");
        command.SetAction(_ => guard(() => throw new UsageException("enigm release is not implemented yet.")));
        return command;
    }
}
