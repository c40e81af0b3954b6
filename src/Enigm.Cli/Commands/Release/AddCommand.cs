using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Eligibility;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release add REPO ARTIFACT --version V --channel C</c>: stage a release with its eligibility rules.</summary>
internal static class AddCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        var artifact = new Argument<string>("artifact") { Description = "The file to release." };
        var version = new Option<string>("--version") { Description = "Release version (dotted numeric, e.g. 2.1.0).", Required = true };
        var channel = new Option<string>("--channel") { Description = "Release channel, e.g. stable or beta.", Required = true };
        var models = new Option<string?>("--models") { Description = "Comma-separated device models (default: every model)." };
        var minOs = new Option<string?>("--min-os") { Description = "Lowest device OS version." };
        var minVersion = new Option<string?>("--min-version") { Description = "Lowest installed version that may update to this one." };
        var rollout = new Option<int>("--rollout") { Description = "Staged rollout percentage, 0-100.", DefaultValueFactory = _ => 100 };
        var requireTrust = new Option<string?>("--require-trust") { Description = "Device trust state required, e.g. verified." };
        var name = new Option<string?>("--name") { Description = "Target path clients request (default: the artifact's file name)." };
        var targetRole = new Option<string>("--role") { Description = "targets (default) or a delegated role.", DefaultValueFactory = _ => "targets" };
        return holder.Leaf("add", "Stage a release: the artifact's length, sha256 and sha512 and its eligibility rules go into the targets role's next version.", (n, _, p) =>
        {
            var percent = p.GetValue(rollout);
            if (percent is < 0 or > 100) throw new UsageException($"--rollout {percent} is not a percentage");
            var versionText = p.GetValue(version)!;
            if (!System.Text.RegularExpressions.Regex.IsMatch(versionText, @"^[0-9]{1,9}(\.[0-9]{1,9}){0,3}$"))
                throw new UsageException($"--version '{versionText}' is not dotted numeric (e.g. 2.1.0)");
            var rules = new ReleaseRules
            {
                Version = versionText,
                Channel = p.GetValue(channel)!,
                Models = List(p.GetValue(models)),
                MinOs = p.GetValue(minOs),
                MinVersion = p.GetValue(minVersion),
                RolloutPercent = percent,
                RequireTrust = p.GetValue(requireTrust),
            };
            var file = p.GetValue(artifact)!;
            var path = p.GetValue(name) ?? Path.GetFileName(file);
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var target = repository.AddTarget(file, path, rules, p.GetValue(targetRole)!);
            n.Line($"  staged {path}: {target.Length} bytes, sha256 {target.Hashes["sha256"]}");
            n.WriteJson(new JsonObject
            {
                ["target"] = path,
                ["role"] = p.GetValue(targetRole),
                ["length"] = target.Length,
                ["hashes"] = new JsonObject([.. target.Hashes.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))]),
                ["custom"] = JsonNode.Parse(CanonicalJson.Serialize(target.Custom!)),
            });
            return ExitCodes.Ok;
        }, repo, artifact, version, channel, models, minOs, minVersion, rollout, requireTrust, name, targetRole);
    }
}
