using System.CommandLine;
using Enigm.Cli.Demo;

namespace Enigm.Cli.Commands.Demo;

/// <summary><c>enigm demo [--chapter NAME…]</c>: the narrated end-to-end demo (chapters in Demo/).</summary>
public static class DemoCommand
{
    public static Command Build(CliContext cli)
    {
        var chapter = new Option<string[]>("--chapter") { Description = "Run only these chapters (repeatable).", AllowMultipleArgumentsPerToken = true };
        return cli.Command(
            "demo",
            "Run the narrated end-to-end demo; every chapter checks its claims and a failed claim exits 1.",
            parse => DemoRunner.Run(cli.Narrator(parse), parse.GetValue(chapter) ?? []),
            chapter);
    }
}
