using System.CommandLine;
using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Suites;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys export-public ID --out FILE</c>: a key's public key (versioned CBOR) for offline verifiers.</summary>
internal static class ExportPublicCommand
{
    public static Command Build(CliContext cli)
    {
        var id = KeyOptions.Id();
        var publicOut = new Option<string>("--out") { Description = "New file for the encoded public key (never overwritten).", Required = true };
        return cli.Command(
            "export-public",
            "Write a key's public key (versioned CBOR) for offline verifiers.",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
            {
                var n = cli.Narrator(p);
                OutputFile.Check(p.GetValue(publicOut)!);
                var key = ring.Get(p.GetValue(id)!);
                var algorithm = CryptoAlgorithm.All.First(a => a.Name == key.Algorithm);
                OutputFile.Write(p.GetValue(publicOut)!, new CryptoObject(ObjectType.PublicKey, SuiteRegistry.Get(key.SuiteId), algorithm, key.PublicKey).Encode());
                n.Line($"  public key of {key.Id} written to {p.GetValue(publicOut)}");
                n.WriteJson(KeyJson.ToJson(key));
                return ExitCodes.Ok;
            }),
            id,
            publicOut);
    }
}
