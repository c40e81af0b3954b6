using System.CommandLine;

namespace Enigm.Cli.Commands.Trust;

/// <summary>
/// <c>enigm trust …</c>: device-bound trust. Each subcommand lives in its own file here
/// (<c>verify-log</c>, <c>safety-number</c>, <c>status</c>).
/// </summary>
public static class TrustCommand
{
    public static Command Build(CliContext cli)
    {
        var trust = new Command("trust", "Device logs, safety numbers and trust states.");
        trust.Subcommands.Add(VerifyLogCommand.Build(cli));
        trust.Subcommands.Add(SafetyNumberCommand.Build(cli));
        trust.Subcommands.Add(StatusCommand.Build(cli));
        return trust;
    }
}
