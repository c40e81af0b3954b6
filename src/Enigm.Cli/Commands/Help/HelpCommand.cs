using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Help;

/// <summary>
/// <c>enigm help [exit-codes | COMMAND…]</c>: the full exit-code table (kept off the first screen), or
/// the help of a command, as <c>enigm COMMAND… --help</c> prints it.
/// </summary>
public static class HelpCommand
{
    public const string ExitCodesTopic = "exit-codes";

    public static Command Build(CliContext cli, RootCommand root)
    {
        var topic = new Argument<string[]>("topic") { Description = $"'{ExitCodesTopic}', or a command (e.g. keys generate).", Arity = ArgumentArity.ZeroOrMore };
        return cli.Command(
            "help",
            $"Show help for a command, or every exit code ('enigm help {ExitCodesTopic}').",
            parse =>
            {
                var words = parse.GetValue(topic) ?? [];
                if (words is [ExitCodesTopic]) return PrintExitCodes(cli.Narrator(parse));
                return cli.Invoke(root, [.. words, "--help"]);
            },
            topic);
    }

    /// <summary>The short form printed at the end of <c>enigm --help</c>.</summary>
    public static string Summary() =>
        "Exit codes: 0 success, 1 a check failed, 2 bad command line, 10-17 crypto, 20-29 key store,\n" +
        "30-39 and 50 OTA (one per TUF attack), 40-49 device trust, 60-69 messaging, 70 a bug (please report),\n" +
        "80-81 relay server, 85-96 relay and client, 130 interrupted.\n" +
        $"Every code: 'enigm help {ExitCodesTopic}'.\n";

    private static int PrintExitCodes(Narrator n)
    {
        n.Table(["code", "meaning"], ExitCodes.Table.Select(e => (IReadOnlyList<string>)[e.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Meaning]));
        n.WriteJson(new JsonArray([.. ExitCodes.Table.Select(e => (JsonNode)new JsonObject { ["code"] = e.Code, ["meaning"] = e.Meaning })]));
        return ExitCodes.Ok;
    }
}
