using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys init</c>: create a key store (and its audit-signing storage key).</summary>
internal static class InitCommand
{
    public static Command Build(CliContext cli, ProtectorOptions options) => cli.Command(
        "init",
        "Create a key store (and its audit-signing storage key).",
        p =>
        {
            var n = cli.Narrator(p);
            var created = KeyArguments.CreateProtector(p.GetValue(options.Protector)!, p.GetValue(options.Argon)!, p.GetValue(options.Pcrs), KeyStoreSession.ReadPassphrase);
            using var ring = KeyStoreSession.Create(cli.HomeOf(p), created);
            n.Line($"  key store {ring.StoreId} created at {ring.StorePath} (protector: {created.Kind})");
            n.WriteJson(new JsonObject { ["store"] = ring.StoreId, ["path"] = ring.StorePath, ["protector"] = created.Kind });
            return ExitCodes.Ok;
        },
        options.All);
}
