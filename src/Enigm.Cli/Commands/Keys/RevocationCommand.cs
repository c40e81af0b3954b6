using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Keys.Errors;
using Enigm.Keys.Model;
using Enigm.Keys.Revocation;

namespace Enigm.Cli.Commands.Keys;

/// <summary>
/// <c>enigm keys revocation verify STATEMENT --authority-key FILE</c> (offline, with only the authority's
/// public key) and <c>enigm keys revocation export ID --out FILE</c>.
/// </summary>
internal static class RevocationCommand
{
    public static Command Build(CliContext cli)
    {
        var statement = new Argument<string>("statement") { Description = "Revocation statement file." };
        var authorityKey = new Option<string>("--authority-key") { Description = "The authority's public key file (from 'keys export-public').", Required = true };
        var verify = cli.Command(
            "verify",
            "Verify a revocation statement offline, with only the authority's public key (no store needed).",
            parse =>
            {
                var n = cli.Narrator(parse);
                var key = CryptoObject.DecodePublicKey(KeyArguments.ReadBounded(parse.GetValue(authorityKey)!), SuitePolicy.Default, CryptoProviders.Default);
                var verified = RevocationStatements.Verify(KeyArguments.ReadBounded(parse.GetValue(statement)!), key.Value, SuitePolicy.Default, CryptoProviders.Default);
                n.Verdict(true, $"key {verified.RevokedKeyId} revoked at {verified.RevokedAt:u} by {verified.AuthorityKeyId}: {verified.Reason}");
                n.WriteJson(new JsonObject
                {
                    ["ok"] = true,
                    ["revokedKey"] = verified.RevokedKeyId,
                    ["revokedAt"] = verified.RevokedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["authority"] = verified.AuthorityKeyId,
                    ["reason"] = verified.Reason,
                });
                return ExitCodes.Ok;
            },
            statement,
            authorityKey);
        var revocation = new Command("revocation", "Revocation statements.");
        revocation.Subcommands.Add(verify);
        revocation.Subcommands.Add(Export(cli));
        return revocation;
    }

    /// <summary>
    /// <c>enigm keys revocation export ID --out FILE</c>: the statement <c>keys revoke</c> stored, written
    /// again at any time (a lost <c>--out</c> file is never the only copy).
    /// </summary>
    private static Command Export(CliContext cli)
    {
        var id = KeyOptions.Id();
        var outFile = new Option<string>("--out") { Description = "New file for the signed statement (never overwritten).", Required = true };
        return cli.Command(
            "export",
            "Write the signed revocation statement the store kept for a revoked key.",
            parse =>
            {
                OutputFile.Check(parse.GetValue(outFile)!);
                return KeysCommand.WithRing(cli.HomeOf(parse), ring =>
                {
                    var n = cli.Narrator(parse);
                    var key = ring.Get(parse.GetValue(id)!);
                    var statement = ring.RevocationStatementFor(key.Id)
                        ?? throw new KeyUsageDeniedException(key.Id, "export a revocation statement", $"it is {key.State.ToName()}, not revoked");
                    OutputFile.Write(parse.GetValue(outFile)!, statement);
                    n.Line($"  revocation statement of {key.Id}: {statement.Length} bytes written to {parse.GetValue(outFile)}");
                    n.WriteJson(new JsonObject { ["key"] = key.Id, ["statement"] = Convert.ToBase64String(statement), ["out"] = parse.GetValue(outFile) });
                    return ExitCodes.Ok;
                });
            },
            id,
            outFile);
    }
}
