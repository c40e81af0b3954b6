using System.CommandLine;
using Enigm.Cli.Commands;
using Enigm.Cli.Demo;
using Enigm.Cli.Output;
using Enigm.Crypto.Errors;

namespace Enigm.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Entry point for tests: runs one command line against the given writers.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "Write one JSON document instead of narration.", Recursive = true };
        var root = new RootCommand(
            "enigm — post-quantum secure messaging and software delivery.\n\nExit codes:\n" +
            string.Join('\n', ExitCodes.Table.Select(e => $"  {e.Code,3}  {e.Meaning}")));
        root.Options.Add(json);

        var chapter = new Option<string[]>("--chapter") { Description = "Run only these chapters (repeatable).", AllowMultipleArgumentsPerToken = true };
        var demo = new Command("demo", "Run the narrated end-to-end demo; every chapter checks its claims and a failed claim exits 1.");
        demo.Options.Add(chapter);
        demo.SetAction(parse => Guard(error, () => DemoRunner.Run(new Narrator(output, parse.GetValue(json)), parse.GetValue(chapter) ?? [])));
        root.Subcommands.Add(demo);

        var selftest = new Command("selftest", "Run known-answer vectors for every algorithm and every provider available here; exits 1 on any failure.");
        selftest.SetAction(parse => Guard(error, () => SelfTestCommand.Run(new Narrator(output, parse.GetValue(json)))));
        root.Subcommands.Add(selftest);

        var suites = new Command("suites", "List the algorithm suites and the default policy's status for each.");
        suites.SetAction(parse => Guard(error, () => SuitesCommand.Run(new Narrator(output, parse.GetValue(json)))));
        root.Subcommands.Add(suites);

        root.Subcommands.Add(KeysCommand.Build(json, action => Guard(error, action), output));
        root.Subcommands.Add(ReleaseCommand.Build(json, action => Guard(error, action), output));
        root.Subcommands.Add(UpdateCommand.Build(json, action => Guard(error, action), output));
        root.Subcommands.Add(TrustCommand.Build(json, action => Guard(error, action), output));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) error.WriteLine($"enigm: {e.Message}");
            error.WriteLine("Try 'enigm --help'.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>Maps Enigm's typed errors to their exit codes with a one-line message; anything else is a bug.</summary>
    private static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (EnigmException e)
        {
            error.WriteLine($"enigm: {e.Code}: {e.Message}");
            return ExitCodes.For(e);
        }
        catch (UsageException e)
        {
            // Values the parser accepted but the command cannot use (an unknown purpose, a bad duration).
            error.WriteLine($"enigm: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            error.WriteLine($"enigm: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
    }
}
