using System.CommandLine;
using Enigm.Cli.Output;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;

namespace Enigm.Cli.Commands.Update;

/// <summary><c>enigm update fetch</c>: download the newest eligible release (or <c>--target</c>), verified while streaming.</summary>
internal static class FetchCommand
{
    public static Command Build(CliContext cli, UpdateOptions options)
    {
        var target = new Option<string?>("--target") { Description = "Release target to fetch (default: the newest eligible release)." };
        var outDir = new Option<string>("--out") { Description = "Folder to write the verified artifact to.", Required = true };
        return cli.Command(
            "fetch",
            "Download the newest eligible release (or --target), verifying length, SHA-256 and SHA-512 while streaming; the file appears only once verified.",
            p =>
            {
                var n = cli.Narrator(p);
                using var session = options.Open(p);
                var (chosen, decision) = Choose(session, p.GetValue(target));
                EligibilityEvaluator.Require(decision);
                n.Line($"  fetching {chosen.Path} ({decision.Rules!.Version}, {chosen.File.Length} bytes, listed by {chosen.Role})");
                IProgress<long>? progress = n.Json ? null : new ProgressBar(p.InvocationConfiguration.Error, chosen.Path, chosen.File.Length);
                var path = session.Updater.Download(chosen, p.GetValue(outDir)!, progress);
                n.Line($"  verified length, sha256 and sha512; wrote {path}");
                var result = UpdateJson.Release(chosen, decision);
                result["path"] = path;
                n.WriteJson(result);
                return ExitCodes.Ok;
            },
            target,
            outDir);
    }

    /// <summary>The named target, or the newest eligible release (by dotted version).</summary>
    private static (ResolvedTarget Target, EligibilityDecision Decision) Choose(UpdateSession session, string? targetName)
    {
        if (targetName is not null)
        {
            var found = session.Updater.RequireTarget(targetName);
            return (found, EligibilityEvaluator.Evaluate(session.Device, found.Path, ReleaseRules.FromCustom(found.File.Custom)));
        }

        var releases = session.Releases().Where(r => r.Decision.Rules is not null).ToList();
        if (releases.Count == 0) throw new TargetNotFoundException("any release");
        var eligible = releases.Where(r => r.Decision.Eligible).ToList();
        if (eligible.Count == 0)
            throw new IneligibleDeviceException("any release", [.. releases.Select(r => $"{r.Target.Path}: {string.Join(", ", r.Decision.FailedReasons)}")]);
        return eligible.OrderByDescending(r => DottedVersion.Parse(r.Decision.Rules!.Version, "Release version"), Comparer<int[]>.Create(DottedVersion.Compare)).First();
    }
}
