using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Update;
using Enigm.Cli.Output;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Suites;
using Enigm.Ota.Client;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;

namespace Enigm.Cli.Commands;

/// <summary>
/// <c>enigm update check|fetch</c>: the device side of OTA. Both run the TUF client workflow against
/// <c>--repo</c> (root chain, timestamp, snapshot, targets, delegations) with the trusted metadata
/// persisted in <c>--state</c>, then evaluate each release's eligibility rules for <c>--device</c>.
/// </summary>
public static class UpdateCommand
{
    public static Command Build(Option<bool> json, Func<Func<int>, int> guard, TextWriter output)
    {
        var repo = new Option<string>("--repo") { Description = "Repository: an http(s) base URL or a folder.", Required = true, Recursive = true };
        var device = new Option<string>("--device") { Description = "Device profile JSON (id, model, channel, installed_version, os_version, trust_state).", Required = true, Recursive = true };
        var state = new Option<string?>("--state") { Description = "Folder of the device's trusted metadata (default: .enigm-update beside the device file).", Recursive = true };
        var root = new Option<string?>("--root") { Description = "Initial trusted root.json, used once when the state folder has no root yet.", Recursive = true };
        var refuse = new Option<string[]>("--refuse-algorithm")
        {
            Description = "Refuse keys of this algorithm (repeatable, e.g. Ed25519 once a fleet is post-quantum only); a composite key still counts while one of its halves is accepted; metadata trusted only through refused keys exits 15.",
            AllowMultipleArgumentsPerToken = true,
            Recursive = true,
        };
        var update = new Command("update", "Check for and fetch verified updates (TUF client workflow, eligibility rules).");
        update.Options.Add(refuse);
        update.Options.Add(repo);
        update.Options.Add(device);
        update.Options.Add(state);
        update.Options.Add(root);

        UpdateSession Open(ParseResult p) =>
            UpdateSession.Open(p.GetValue(repo)!, p.GetValue(device)!, p.GetValue(state), p.GetValue(root), PolicyFor(p.GetValue(refuse)));

        var check = new Command("check", "Refresh the trusted metadata and list every release with the device's eligibility and the reason for each rule.");
        check.SetAction(p => guard(() =>
        {
            var n = new Narrator(output, p.GetValue(json));
            using var session = Open(p);
            var releases = session.Releases();
            var trusted = session.Updater.Trusted;
            n.Line($"  repository {session.Repository}: root v{trusted.Root.Signed.Version}, timestamp v{trusted.Timestamp!.Signed.Version}, snapshot v{trusted.Snapshot!.Signed.Version}, targets v{trusted.Targets!.Signed.Version}");
            n.Line($"  device {session.Device.Id} ({session.Device.Model}, {session.Device.Channel}, installed {session.Device.InstalledVersion}, OS {session.Device.OsVersion}, {session.Device.TrustState})");
            n.Table(["target", "version", "eligible", "reasons"], releases.Select(r => (IReadOnlyList<string>)
            [
                r.Target.Path, r.Decision.Rules?.Version ?? "-", r.Decision.Eligible ? "yes" : "no",
                r.Decision.Eligible ? "all rules pass" : string.Join("; ", r.Decision.FailedReasons),
            ]));
            n.WriteJson(new JsonObject
            {
                ["repository"] = session.Repository,
                ["state"] = session.Store.Directory,
                ["device"] = session.Device.Id,
                ["root_version"] = trusted.Root.Signed.Version,
                ["timestamp_version"] = trusted.Timestamp.Signed.Version,
                ["snapshot_version"] = trusted.Snapshot.Signed.Version,
                ["targets_version"] = trusted.Targets.Signed.Version,
                ["releases"] = new JsonArray([.. releases.Select(r => (JsonNode)ReleaseJson(r.Target, r.Decision))]),
            });
            return ExitCodes.Ok;
        }));
        update.Subcommands.Add(check);

        var target = new Option<string?>("--target") { Description = "Release target to fetch (default: the newest eligible release)." };
        var outDir = new Option<string>("--out") { Description = "Folder to write the verified artifact to.", Required = true };
        var fetch = new Command("fetch", "Download the newest eligible release (or --target), verifying length, SHA-256 and SHA-512 while streaming; the file appears only once verified.");
        fetch.Options.Add(target);
        fetch.Options.Add(outDir);
        fetch.SetAction(p => guard(() =>
        {
            var n = new Narrator(output, p.GetValue(json));
            using var session = Open(p);
            var (chosen, decision) = Choose(session, p.GetValue(target));
            EligibilityEvaluator.Require(decision);
            n.Line($"  fetching {chosen.Path} ({decision.Rules!.Version}, {chosen.File.Length} bytes, listed by {chosen.Role})");
            IProgress<long>? progress = n.Json ? null : new ProgressBar(p.InvocationConfiguration.Error, chosen.Path, chosen.File.Length);
            var path = session.Updater.Download(chosen, p.GetValue(outDir)!, progress);
            n.Line($"  verified length, sha256 and sha512; wrote {path}");
            var result = ReleaseJson(chosen, decision);
            result["path"] = path;
            n.WriteJson(result);
            return ExitCodes.Ok;
        }));
        update.Subcommands.Add(fetch);
        return update;
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

    private static JsonObject ReleaseJson(ResolvedTarget target, EligibilityDecision decision) => new()
    {
        ["target"] = target.Path,
        ["version"] = decision.Rules?.Version,
        ["length"] = target.File.Length,
        ["role"] = target.Role,
        ["eligible"] = decision.Eligible,
        ["checks"] = new JsonArray([.. decision.Checks.Select(c => (JsonNode)new JsonObject { ["rule"] = c.Rule, ["passed"] = c.Passed, ["reason"] = c.Reason })]),
    };

    /// <summary>The default suite policy, minus the algorithms named by <c>--refuse-algorithm</c>.</summary>
    private static SuitePolicy PolicyFor(string[]? refused)
    {
        var policy = SuitePolicy.Default;
        foreach (var name in refused ?? [])
        {
            var algorithm = CryptoAlgorithm.All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"unknown algorithm '{name}' (known: {string.Join(", ", CryptoAlgorithm.All.Select(a => a.Name))})");
            policy = policy.RefuseAlgorithm(algorithm);
        }

        return policy;
    }
}
