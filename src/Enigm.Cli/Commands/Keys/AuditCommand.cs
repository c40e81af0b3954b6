using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Providers;
using Enigm.Keys.Audit;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys audit verify|export</c>: the store's hash-chained audit log.</summary>
internal static class AuditCommand
{
    public static Command Build(CliContext cli)
    {
        var audit = new Command("audit", "The store's hash-chained audit log.");
        audit.Subcommands.Add(Verify(cli));
        audit.Subcommands.Add(Export(cli));
        return audit;
    }

    private static Command Verify(CliContext cli)
    {
        var file = new Option<string?>("--file") { Description = "Verify an exported copy instead of the store's own log." };
        return cli.Command(
            "verify",
            "Verify the hash chain and the signed checkpoints; report the first bad entry.",
            parse =>
            {
                var n = cli.Narrator(parse);
                return KeysCommand.WithRing(cli.HomeOf(parse), ring =>
                {
                    var (entries, checkpoints) = parse.GetValue(file) is { } path
                        ? AuditExport.FromJson(File.ReadAllText(path))
                        : (ring.AuditEntries(), ring.AuditCheckpoints());
                    var result = AuditVerifier.Verify(entries, checkpoints, ring.TrustedCheckpointSigners(), CryptoProviders.Default);
                    n.Verdict(result.Ok, result.Ok
                        ? $"audit log verifies: {result.EntriesChecked} entries, {result.CheckpointsChecked} signed checkpoints"
                        : $"audit log fails at entry {result.FirstBadPosition}: {result.Problem}");
                    n.WriteJson(new JsonObject
                    {
                        ["ok"] = result.Ok,
                        ["entries"] = result.EntriesChecked,
                        ["checkpoints"] = result.CheckpointsChecked,
                        ["firstBadPosition"] = result.FirstBadPosition,
                        ["problem"] = result.Problem,
                    });
                    return result.Ok ? ExitCodes.Ok : ExitCodes.AuditTampered;
                });
            },
            file);
    }

    private static Command Export(CliContext cli)
    {
        var outFile = new Option<string>("--out") { Description = "File to write.", Required = true };
        return cli.Command(
            "export",
            "Export the log and its checkpoints as JSON.",
            parse => KeysCommand.WithRing(cli.HomeOf(parse), ring =>
            {
                File.WriteAllText(parse.GetValue(outFile)!, AuditExport.ToJson(ring.AuditEntries(), ring.AuditCheckpoints()));
                return ExitCodes.Ok;
            }),
            outFile);
    }
}
