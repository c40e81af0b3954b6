using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Keys.Revocation;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys revocation verify STATEMENT --authority-key FILE</c>: offline, with only the authority's public key.</summary>
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
        return revocation;
    }
}
