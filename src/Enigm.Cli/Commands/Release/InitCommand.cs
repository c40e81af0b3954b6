using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release init REPO</c>: a new repository with one key per top-level role in this --home plus other holders' keys.</summary>
internal static class InitCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        var keyType = HolderCommands.KeyType();
        var thresholds = new Option<string[]>("--threshold") { Description = "ROLE=N signatures required (repeatable; default 1).", AllowMultipleArgumentsPerToken = true };
        var externalKeys = new Option<string[]>("--key") { Description = "ROLE=FILE: another holder's public key from 'release keygen' (repeatable).", AllowMultipleArgumentsPerToken = true };
        var expires = new Option<string[]>("--expires") { Description = "ROLE=DURATION lifetime of new versions, e.g. timestamp=12h (defaults: root 365d, targets 90d, snapshot 7d, timestamp 1d).", AllowMultipleArgumentsPerToken = true };
        return holder.Leaf("init", "Create a repository: one key per top-level role in this --home, plus other holders' keys; root v1 and targets v1 are staged for signing.", (n, keys, p) =>
        {
            var settings = new RepositorySettings();
            foreach (var (r, value) in RoleValues(p.GetValue(expires), "--expires")) settings = settings.WithExpiry(r, Duration(value));
            var threshold = RoleValues(p.GetValue(thresholds), "--threshold").ToDictionary(t => t.Role, t => Threshold(t.Value));
            var external = RoleValues(p.GetValue(externalKeys), "--key").ToLookup(k => k.Role, k => PublicKeyFile(k.Value));
            var specs = new Dictionary<string, RoleKeySpec>(StringComparer.Ordinal);
            foreach (var r in RootMetadata.TopLevelRoles)
            {
                var local = keys.Generate(r, KeyType(p.GetValue(keyType)!, r), $"TUF {r} key");
                specs[r] = new RoleKeySpec([local, .. external[r]], threshold.GetValueOrDefault(r, 1));
                if (specs[r].Threshold > specs[r].Keys.Count) throw new UsageException($"role {r}: threshold {specs[r].Threshold} but {specs[r].Keys.Count} key(s); add --key {r}=FILE");
            }

            var repository = TufRepository.Init(p.GetValue(repo)!, specs, settings);
            n.Line($"  repository created at {repository.Layout.Root}; staged: root v1, targets v1");
            foreach (var (r, spec) in specs) n.Line($"  {r,-9} {spec.Threshold} of {spec.Keys.Count}: {string.Join(", ", spec.Keys.Select(k => k.KeyId[..16]))}");
            n.Line("  next: 'enigm release sign REPO --role root' and '--role targets' by each holder, then 'enigm release publish REPO'");
            n.WriteJson(new JsonObject
            {
                ["repository"] = repository.Layout.Root,
                ["roles"] = new JsonObject([.. specs.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)new JsonObject
                {
                    ["threshold"] = s.Value.Threshold,
                    ["keyids"] = new JsonArray([.. s.Value.Keys.Select(k => (JsonNode)JsonValue.Create(k.KeyId))]),
                }))]),
            });
            return ExitCodes.Ok;
        }, repo, keyType, thresholds, externalKeys, expires);
    }
}
