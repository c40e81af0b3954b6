using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Keys.Errors;

namespace Enigm.Cli.Commands;

/// <summary>
/// What every command shares: the global <c>--json</c> and <c>--home</c> options, the output and
/// error writers, help footers, and the one place that turns failures into exit codes and messages
/// (<see cref="Guard"/>, <see cref="Invoke"/>). Command files build their <see cref="Command"/> from it
/// and never catch exceptions themselves.
/// </summary>
/// <remarks>
/// Errors: one line on stderr (<c>enigm: CODE: message</c>). With <c>--json</c>, stdout also gets
/// one JSON document, <c>{"error":{"code":"…","exit":N,"message":"…"}}</c>, so a script reading
/// stdout always gets exactly one document, success or failure (README, "Exit codes").
/// </remarks>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    // Messages quote names ('--purpose'): keep them readable rather than \u0027-escaped.
    private static readonly JsonSerializerOptions ErrorJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<Command, Func<string>> _helpFooters = [];

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary><c>--json</c>: one JSON document instead of narration (on every command).</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Write one JSON document instead of narration.", Recursive = true };

    /// <summary><c>--home</c>: the key store folder, added to the groups that use a key store (keys, release).</summary>
    public Option<string?> Home { get; } = new("--home") { Description = "Key store folder (default: $ENIGM_HOME, else ~/.enigm).", Recursive = true };

    public Narrator Narrator(ParseResult parse) => new(Output, parse.GetValue(Json));

    /// <summary>
    /// The <c>--home</c> value. A home that exists but is not a folder (a file, <c>/dev/null</c>) is a
    /// key-store error (exit 26) here, before any command tries to create or open a store inside it.
    /// </summary>
    public string? HomeOf(ParseResult parse)
    {
        var home = parse.GetValue(Home);
        var resolved = KeyStoreSession.ResolveHome(home);
        if (Path.Exists(resolved) && !Directory.Exists(resolved))
            throw new KeyStoreException($"The key store folder {resolved} is a file, not a folder (--home, else ENIGM_HOME).");
        return home;
    }

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
        command.SetAction(parse => Guard(parse.GetValue(Json), () => action(parse)));

    /// <summary>Text printed after a command's generated <c>--help</c> (the demo's chapters, the exit-code summary).</summary>
    public void AddHelpFooter(Command command, Func<string> footer) => _helpFooters[command] = footer;

    /// <summary>
    /// Parses and runs one command line. A parse error, or a token nothing recognises (even next to
    /// <c>--help</c>), is a usage error (exit 2) that names the failing command's own help.
    /// </summary>
    public int Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        var problems = parsed.Errors.Select(e => e.Message).ToList();
        if (problems.Count == 0 && parsed.UnmatchedTokens.Count > 0)
            problems.AddRange(parsed.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."));
        if (problems.Count > 0)
        {
            var json = args.Contains("--json", StringComparer.Ordinal);
            return Report(json, "usage", ExitCodes.Usage, $"{string.Join(" ", problems)} Try '{CommandPath(parsed.CommandResult)} --help'.");
        }

        var code = parsed.Invoke(new InvocationConfiguration { Output = Output, Error = Error });
        // The standard help first (the commands on the first screen), then the command's footer.
        if (parsed.Action is HelpAction && _helpFooters.TryGetValue(parsed.CommandResult.Command, out var footer)) Output.Write(footer());
        return code;
    }

    /// <summary>Maps Enigm's typed errors to their exit codes with a one-line message; anything else is a bug.</summary>
    public int Guard(bool json, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (EnigmException e)
        {
            return Report(json, e.Code, ExitCodes.For(e), e.Message);
        }
        catch (UsageException e)
        {
            // Values the parser accepted but the command cannot use (an unknown purpose, a bad duration).
            return Report(json, "usage", ExitCodes.Usage, e.Message);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C reached a command that observes cancellation (Argon2id, a demo chapter) before
            // anything was committed; it has cleaned up on the way out.
            return Report(json, "interrupted", ExitCodes.Interrupted, "interrupted; nothing was changed and temporary files were removed");
        }
        catch (Exception e)
        {
            return Report(json, "internal", ExitCodes.InternalError, $"internal error: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>One line on stderr; with <c>--json</c> also the error document on stdout.</summary>
    private int Report(bool json, string code, int exit, string message)
    {
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Error.WriteLine(code is "usage" or "internal" ? $"enigm: {line}" : $"enigm: {code}: {line}");
        if (json)
        {
            Output.WriteLine(new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = code, ["exit"] = exit, ["message"] = line },
            }.ToJsonString(ErrorJson));
        }

        return exit;
    }

    /// <summary><c>enigm keys generate</c> for the deepest command the parser reached.</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? s = command; s is not null; s = s.Parent)
        {
            if (s is CommandResult c) names.Add(c.Parent is null ? "enigm" : c.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
