using System.CommandLine;
using Enigm.Cli.Output;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands.Release;

/// <summary>
/// Builds the <c>enigm release</c> subcommands that run as one key holder: each gets the holder's
/// keys from <c>--home</c> (created with <c>--argon2</c> on first use) and a narrator.
/// </summary>
internal sealed class HolderCommands(CliContext cli)
{
    public Option<string> Argon { get; } = new("--argon2") { Description = "Argon2id cost when this command creates the holder's key store: interactive, moderate (default), sensitive.", DefaultValueFactory = _ => "moderate", Recursive = true };

    public static Argument<string> Repo() => new("repo") { Description = "Repository folder." };

    public static Option<string> Role() => new("--role") { Description = "Role: root, targets or a delegated role name.", Required = true };

    public static Option<string> KeyType(string description = "Type of generated keys") => new("--key-type") { Description = $"{description}: {KeyTypes}.", DefaultValueFactory = _ => "suite" };

    public Command Leaf(string name, string description, Func<Narrator, HolderKeys, ParseResult, int> action, params Symbol[] symbols) =>
        cli.Command(
            name,
            description,
            parse =>
            {
                using var keys = new HolderKeys(cli.HomeOf(parse), ReleaseArguments.Argon(parse.GetValue(Argon)!));
                return action(cli.Narrator(parse), keys, parse);
            },
            symbols);
}
