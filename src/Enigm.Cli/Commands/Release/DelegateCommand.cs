using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Repository;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release delegate REPO --role R --paths P</c>: delegate target paths to a new role (TUF delegations).</summary>
internal static class DelegateCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        var paths = new Option<string>("--paths") { Description = "Comma-separated path patterns the role is trusted for (TUF 'paths', e.g. vendor/*).", Required = true };
        var terminating = new Option<bool>("--terminating") { Description = "Stop the target search at this role (TUF 'terminating')." };
        var threshold = new Option<int>("--threshold") { Description = "Signatures required.", DefaultValueFactory = _ => 1 };
        var otherKeys = new Option<string[]>("--key") { Description = "Public key file of another holder of the role (repeatable).", AllowMultipleArgumentsPerToken = true };
        var keyType = HolderCommands.KeyType("Type of the key generated in this --home");
        var roleOption = new Option<string>("--role") { Description = "Name of the delegated role.", Required = true };
        return holder.Leaf("delegate", "Delegate target paths from targets to a new role with its own keys and threshold.", (n, keys, p) =>
        {
            var roleName = p.GetValue(roleOption)!;
            var local = keys.Generate(roleName, KeyType(p.GetValue(keyType)!, roleName), $"TUF delegated role {roleName}");
            var spec = new RoleKeySpec([local, .. (p.GetValue(otherKeys) ?? []).Select(PublicKeyFile)], p.GetValue(threshold));
            if (spec.Threshold < 1 || spec.Threshold > spec.Keys.Count) throw new UsageException($"threshold {spec.Threshold} with {spec.Keys.Count} key(s)");
            var patterns = List(p.GetValue(paths));
            TufRepository.Open(p.GetValue(repo)!).Delegate(roleName, spec, patterns, p.GetValue(terminating));
            n.Line($"  staged delegation of {string.Join(", ", patterns)} to {roleName} ({spec.Threshold} of {spec.Keys.Count}, terminating: {p.GetValue(terminating)})");
            n.WriteJson(new JsonObject { ["role"] = roleName, ["paths"] = new JsonArray([.. patterns.Select(x => (JsonNode)JsonValue.Create(x))]), ["terminating"] = p.GetValue(terminating), ["threshold"] = spec.Threshold, ["keyid"] = local.KeyId });
            return ExitCodes.Ok;
        }, repo, roleOption, paths, terminating, threshold, otherKeys, keyType);
    }
}
