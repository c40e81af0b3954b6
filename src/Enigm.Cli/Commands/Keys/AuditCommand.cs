using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
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
        var auditKey = new Option<string[]>("--audit-key")
        {
            Description = "With --file: verify offline, no store needed, trusting checkpoints signed by this storage public key (from 'keys export-public'; repeat for each storage key version).",
            AllowMultipleArgumentsPerToken = false,
        };
        return cli.Command(
            "verify",
            "Verify the hash chain, the signed checkpoints and that no key row was deleted; report the first bad entry. With --file F --audit-key PUB, offline.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var keys = parse.GetValue(auditKey) ?? [];
                AuditVerification result;
                if (parse.GetValue(file) is { } path)
                {
                    if (keys.Length > 0)
                    {
                        // Offline: the export and public keys only; the key files are read before the (large) export.
                        var trusted = keys.Select(k => CryptoObject.DecodePublicKey(KeyArguments.ReadBounded(k), SuitePolicy.Default, CryptoProviders.Default).Value.ToArray()).ToList();
                        var (entries, checkpoints) = AuditExport.ReadFile(path);
                        result = AuditVerifier.VerifyExport(entries, checkpoints, trusted, CryptoProviders.Default);
                    }
                    else
                    {
                        var (entries, checkpoints) = AuditExport.ReadFile(path);
                        result = KeysCommand.WithRing(cli.HomeOf(parse), ring => Report(ring.TrustedCheckpointSigners(), entries, checkpoints));
                    }
                }
                else
                {
                    if (keys.Length > 0) throw new UsageException("--audit-key needs --file (the store's own log is checked with its own keys)");
                    result = KeysCommand.WithRing(cli.HomeOf(parse), ring => ring.VerifyAudit());
                }

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
            },
            file,
            auditKey);
    }

    private static AuditVerification Report(IReadOnlyDictionary<string, byte[]> signers, IReadOnlyList<AuditEntry> entries, IReadOnlyList<AuditCheckpoint> checkpoints) =>
        AuditVerifier.Verify(entries, checkpoints, signers, CryptoProviders.Default);

    private static Command Export(CliContext cli)
    {
        var outFile = new Option<string>("--out") { Description = "New file to write (never overwritten).", Required = true };
        return cli.Command(
            "export",
            "Export the log and its checkpoints as JSON.",
            parse =>
            {
                OutputFile.Check(parse.GetValue(outFile)!);
                return KeysCommand.WithRing(cli.HomeOf(parse), ring =>
                {
                    OutputFile.Write(parse.GetValue(outFile)!, System.Text.Encoding.UTF8.GetBytes(AuditExport.ToJson(ring.AuditEntries(), ring.AuditCheckpoints())));
                    return ExitCodes.Ok;
                });
            },
            outFile);
    }
}
