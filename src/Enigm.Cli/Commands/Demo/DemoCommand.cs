using System.CommandLine;
using Enigm.Cli.Demo;

namespace Enigm.Cli.Commands.Demo;

/// <summary>
/// <c>enigm demo [--chapter NAME…]</c>: the narrated end-to-end demo (chapters in Demo/). Ctrl-C stops
/// it at the next step with its temporary folders deleted (exit 130).
/// </summary>
public static class DemoCommand
{
    public static Command Build(CliContext cli)
    {
        var chapter = new Option<string[]>("--chapter") { Description = "Run only these chapters (repeatable; see the list below).", AllowMultipleArgumentsPerToken = true };
        var demo = cli.Command(
            "demo",
            "Run the narrated end-to-end demo: first the product (a relay on loopback, Alice with two devices and Bob messaging), then each part; every chapter checks its claims and a failed claim exits 1.",
            parse =>
            {
                using var interrupt = new Interrupt();
                return DemoRunner.Run(cli.Narrator(parse), parse.GetValue(chapter) ?? [], interrupt.Token);
            },
            chapter);
        cli.AddHelpFooter(demo, ChapterList);
        return demo;
    }

    /// <summary>One line per chapter, in the order the demo tells them.</summary>
    private static string ChapterList()
    {
        var width = DemoRunner.Chapters.Max(c => c.Name.Length);
        return "Chapters:\n" + string.Join('\n', DemoRunner.Chapters.Select(c => $"  {c.Name.PadRight(width)}  {c.Title}")) + "\n";
    }
}
