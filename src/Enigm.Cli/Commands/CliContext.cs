using System.CommandLine;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands;

/// <summary>
/// What every command shares: the global <c>--json</c> and <c>--home</c> options, the output and
/// error writers, and the one place that turns Enigm's typed errors into exit codes
/// (<see cref="Guard"/>). Command files build their <see cref="Command"/> from it and never catch
/// exceptions themselves.
/// </summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary><c>--json</c>: one JSON document instead of narration (on every command).</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Write one JSON document instead of narration.", Recursive = true };

    /// <summary><c>--home</c>: the key store folder, added to the groups that use a key store (keys, release).</summary>
    public Option<string?> Home { get; } = new("--home") { Description = "Key store folder (default: $ENIGM_HOME, else ~/.enigm).", Recursive = true };

    public Narrator Narrator(ParseResult parse) => new(Output, parse.GetValue(Json));

    public string? HomeOf(ParseResult parse) => parse.GetValue(Home);

    /// <summary>A leaf command with its arguments and options, whose action runs under <see cref="Guard"/>.</summary>
    public Command Command(string name, string description, Func<ParseResult, int> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Arguments.Add(argument);
            else command.Options.Add((Option)symbol);
        }

        SetAction(command, action);
        return command;
    }

    public void SetAction(Command command, Func<ParseResult, int> action) =>
        command.SetAction(parse => Guard(() => action(parse)));

    /// <summary>Parses and runs one command line; a parse error is a usage error (exit 2).</summary>
    public int Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) Error.WriteLine($"enigm: {e.Message}");
            Error.WriteLine("Try 'enigm --help'.");
            return ExitCodes.Usage;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = Output, Error = Error });
    }

    /// <summary>Maps Enigm's typed errors to their exit codes with a one-line message; anything else is a bug.</summary>
    public int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (EnigmException e)
        {
            Error.WriteLine($"enigm: {e.Code}: {e.Message}");
            return ExitCodes.For(e);
        }
        catch (UsageException e)
        {
            // Values the parser accepted but the command cannot use (an unknown purpose, a bad duration).
            Error.WriteLine($"enigm: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            Error.WriteLine($"enigm: internal error: {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
    }
}
