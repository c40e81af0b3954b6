using System.CommandLine;
using Enigm.Cli.Output;
using Enigm.Keys;
using Enigm.Keys.Model;

namespace Enigm.Cli.Commands.Keys;

/// <summary>
/// <c>enigm keys …</c>: the key lifecycle over the protected store in <c>--home</c>. Each subcommand
/// lives in its own file here; this group adds them and holds what they share.
/// </summary>
public static class KeysCommand
{
    public static Command Build(CliContext cli)
    {
        var keys = new Command("keys", "Generate, rotate, revoke and destroy keys in the protected key store; verify its audit log.");
        keys.Options.Add(cli.Home);
        var protector = new ProtectorOptions();
        Command[] subcommands =
        [
            InitCommand.Build(cli, protector),
            ListCommand.Build(cli),
            ShowCommand.Build(cli),
            GenerateCommand.Build(cli),
            ActivateCommand.Build(cli),
            RotateCommand.Build(cli),
            ReplaceCommand.Build(cli),
            SuspendCommand.Build(cli),
            ResumeCommand.Build(cli),
            RevokeCommand.Build(cli),
            DestroyCommand.Build(cli),
            DueCommand.Build(cli),
            PolicyCommand.Build(cli),
            ExportPublicCommand.Build(cli),
            PasswdCommand.Build(cli, protector),
            AuditCommand.Build(cli),
            RevocationCommand.Build(cli),
        ];
        foreach (var subcommand in subcommands) keys.Subcommands.Add(subcommand);
        return keys;
    }

    /// <summary>Opens the store in <paramref name="home"/>, runs <paramref name="action"/> and closes it.</summary>
    internal static T WithRing<T>(string? home, Func<KeyRing, T> action)
    {
        using var ring = KeyStoreSession.Open(home);
        return action(ring);
    }

    /// <summary>Prints one key record (narration or JSON).</summary>
    internal static int One(Narrator n, KeyRecord key)
    {
        KeyJson.PrintOne(n, key);
        n.WriteJson(KeyJson.ToJson(key));
        return ExitCodes.Ok;
    }
}
