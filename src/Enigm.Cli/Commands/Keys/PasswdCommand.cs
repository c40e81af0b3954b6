using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys passwd</c>: change the passphrase, its Argon2id cost or the protector; every key is rewrapped.</summary>
internal static class PasswdCommand
{
    public static Command Build(CliContext cli, ProtectorOptions options) => cli.Command(
        "passwd",
        "Change the passphrase, its Argon2id cost or the protector (--protector tpm): every key is rewrapped, no plaintext written (new passphrase from ENIGM_NEW_PASSPHRASE or a prompt).",
        p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
        {
            var n = cli.Narrator(p);
            var next = KeyArguments.CreateProtector(p.GetValue(options.Protector)!, p.GetValue(options.Argon)!, p.GetValue(options.Pcrs), KeyArguments.NewPassphrase);
            ring.ChangeProtector(next);
            n.Line($"  protector is now {next.Kind}; every key rewrapped");
            n.WriteJson(new JsonObject { ["ok"] = true, ["protector"] = next.Kind });
            return ExitCodes.Ok;
        }),
        options.All);
}
