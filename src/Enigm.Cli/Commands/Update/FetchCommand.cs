using System.CommandLine;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Ota.Eligibility;

namespace Enigm.Cli.Commands.Update;

/// <summary>
/// <c>enigm update fetch</c>: download the newest eligible release (or <c>--target</c>, which may be a
/// plain TUF target without release rules), verified while streaming, to the target's relative path
/// under <c>--out</c>; an existing file is replaced only with <c>--force</c>. With <c>--home DIR</c> (a client home),
/// the verified release's version is recorded there as the installed client release.
/// </summary>
internal static class FetchCommand
{
    public static Command Build(CliContext cli, UpdateOptions options)
    {
        var target = new Option<string?>("--target") { Description = "Target to fetch by name, with or without release rules (default: the newest eligible release)." };
        var outDir = new Option<string>("--out") { Description = "Folder to write the verified artifact to, at the target's relative path (created if missing).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing file at the destination (default: refuse, exit 39)." };
        return cli.Command(
            "fetch",
            "Download the newest eligible release (or --target), verifying length, SHA-256 and SHA-512 while streaming; the file appears only once verified.",
            p =>
            {
                var n = cli.Narrator(p);
                using var session = options.Open(p);
                var (chosen, decision) = p.GetValue(target) is { } name
                    ? ReleaseSelector.Evaluate(session.Device, session.Updater.RequireTarget(name))
                    : ReleaseSelector.ChooseNewest(session.Releases());
                EligibilityEvaluator.Require(decision);
                // --home: the client home this release is installed for; opened first, so a wrong passphrase fails before the download.
                var home = cli.HomeOf(p);
                if (home is not null && decision.Rules?.Version is null)
                    throw new UsageException($"--home records an installed client release, and {chosen.Path} has no release version (no eligibility rules)");
                using var client = home is null ? null : ClientSession.Open(cli, p);
                n.Line($"  fetching {chosen.Path} ({decision.Rules?.Version ?? EligibilityDecision.NoRulesReason}, {chosen.File.Length} bytes, listed by {chosen.Role})");
                IProgress<long>? progress = n.Json ? null : new ProgressBar(p.InvocationConfiguration.Error, chosen.Path, chosen.File.Length);
                var path = session.Updater.Download(chosen, p.GetValue(outDir)!, progress, overwrite: p.GetValue(force));
                n.Line($"  verified length, sha256 and sha512; wrote {path}");
                var result = UpdateJson.Release(chosen, decision);
                result["path"] = path;
                if (client is not null)
                {
                    // docs/policy.md "Client version": the verified install feeds the next posture's client version.
                    client.RecordInstalledClientRelease(decision.Rules!.Version, DateTimeOffset.UtcNow);
                    n.Line($"  recorded client release {decision.Rules.Version} as installed in {home}; the next posture statement reports it");
                    result["recorded_home"] = Path.GetFullPath(KeyStoreSession.ResolveHome(home));
                }
                n.WriteJson(result);
                return ExitCodes.Ok;
            },
            target,
            outDir,
            force,
            cli.Home);
    }
}
