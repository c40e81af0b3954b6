using System.CommandLine;
using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Keys.Model;

namespace Enigm.Cli.Commands.Keys;

/// <summary><c>enigm keys generate --purpose P</c>: a new key (the preferred suite's algorithm unless <c>--algorithm</c>).</summary>
internal static class GenerateCommand
{
    public static Command Build(CliContext cli)
    {
        var purpose = new Option<string>("--purpose") { Description = "One of: " + string.Join(", ", Enum.GetValues<KeyPurpose>().Select(x => x.ToName())), Required = true };
        var inactive = new Option<bool>("--inactive") { Description = "Leave the key in pre-activation." };
        var reason = KeyOptions.Reason();
        var algorithm = new Option<string?>("--algorithm") { Description = "Signature algorithm instead of the suite's (root, release-signing and manifest-signing only): Ed25519, ML-DSA-87, SLH-DSA-SHA2-256s or id-MLDSA87-ECDSA-P384-SHA512." };
        return cli.Command(
            "generate",
            "Generate a key for a purpose (the preferred suite's algorithm unless --algorithm).",
            p => KeysCommand.WithRing(cli.HomeOf(p), ring =>
            {
                var n = cli.Narrator(p);
                if (!KeyPurposeNames.TryParse(p.GetValue(purpose)!, out var kp))
                    throw new UsageException($"unknown purpose '{p.GetValue(purpose)}'");
                if (p.GetValue(algorithm) is not { } name) return KeysCommand.One(n, ring.Generate(kp, !p.GetValue(inactive), p.GetValue(reason)));
                var chosen = SignatureAlgorithm.All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new UsageException($"unknown signature algorithm '{name}' ({string.Join(", ", SignatureAlgorithm.All.Select(a => a.Name))})");
                return KeysCommand.One(n, ring.Generate(kp, chosen, !p.GetValue(inactive), p.GetValue(reason)));
            }),
            purpose,
            inactive,
            reason,
            algorithm);
    }
}
