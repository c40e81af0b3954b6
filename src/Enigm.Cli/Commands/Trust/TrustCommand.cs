using System.CommandLine;
using Enigm.Cli.Commands.Trust;

namespace Enigm.Cli.Commands;

/// <summary>
/// <c>enigm trust …</c>: device-bound trust. Each subcommand lives in Commands/Trust/ and is added here
/// (<c>verify-log</c>, <c>safety-number</c>).
/// </summary>
public static class TrustCommand
{
    public static Command Build(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        var trust = new Command("trust", "Device logs, safety numbers and trust states.");
        trust.Subcommands.Add(VerifyLogCommand.Build(json, guard, output));
        trust.Subcommands.Add(SafetyNumberCommand.Build(json, guard, output));
        return trust;
    }
}
