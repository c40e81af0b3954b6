using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Eligibility;

namespace Enigm.Cli.Commands.Update;

/// <summary><c>enigm update check</c>: refresh the trusted metadata and list every release with the device's eligibility.</summary>
internal static class CheckCommand
{
    public static Command Build(CliContext cli, UpdateOptions options) => cli.Command(
        "check",
        "Refresh the trusted metadata and list every target with the device's eligibility and the reason for each rule (targets without Enigm release rules: \"no eligibility rules\").",
        p =>
        {
            var n = cli.Narrator(p);
            using var session = options.Open(p);
            var releases = session.Releases();
            var trusted = session.Updater.Trusted;
            n.Line($"  repository {session.Repository}: root v{trusted.Root.Signed.Version}, timestamp v{trusted.Timestamp!.Signed.Version}, snapshot v{trusted.Snapshot!.Signed.Version}, targets v{trusted.Targets!.Signed.Version}");
            n.Line($"  device {session.Device.Id} ({session.Device.Model}, {session.Device.Channel}, installed {session.Device.InstalledVersion}, OS {session.Device.OsVersion}, {session.Device.TrustState})");
            n.Table(["target", "version", "eligible", "reasons"], releases.Select(r => (IReadOnlyList<string>)
            [
                r.Target.Path, r.Decision.Rules?.Version ?? "-", !r.Decision.Eligible ? "no" : r.Decision.HasRules ? "yes" : "by name",
                !r.Decision.Eligible ? string.Join("; ", r.Decision.FailedReasons)
                    : r.Decision.HasRules ? "all rules pass"
                    : $"{EligibilityDecision.NoRulesReason} (plain TUF target: fetch --target {r.Target.Path})",
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
                ["releases"] = new JsonArray([.. releases.Select(r => (JsonNode)UpdateJson.Release(r.Target, r.Decision))]),
            });
            return ExitCodes.Ok;
        });
}
