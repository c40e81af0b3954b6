using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release revoke-key REPO --key KEYID</c>: stage metadata that no longer lists a key; replace it where a threshold needs it.</summary>
internal static class RevokeKeyCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        var keyType = HolderCommands.KeyType();
        var revoked = new Option<string>("--key") { Description = "Keyid to revoke.", Required = true };
        return holder.Leaf("revoke-key", "Stage a new root that no longer lists a key (and targets, for delegations); a role left below its threshold gets a new key from this --home.", (n, keys, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var keyId = p.GetValue(revoked)!;
            var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
            var changed = repository.RevokeKey(keyId, r =>
            {
                var key = keys.Generate(r, KeyType(p.GetValue(keyType)!, RootMetadata.TopLevelRoles.Contains(r) ? r : "targets"), $"TUF {r} key replacing revoked {keyId[..Math.Min(16, keyId.Length)]}");
                replacements[r] = key.KeyId;
                return key;
            });
            var inStore = keys.RevokeInStore(keyId, "revoked from TUF repository");
            n.Line($"  {keyId[..Math.Min(16, keyId.Length)]} removed from {string.Join(", ", changed)}; sign the staged metadata and publish");
            foreach (var (r, k) in replacements) n.Line($"  new {r} key {k[..16]}");
            n.WriteJson(new JsonObject
            {
                ["revoked"] = keyId,
                ["roles"] = new JsonArray([.. changed.Select(c => (JsonNode)JsonValue.Create(c))]),
                ["replacements"] = new JsonObject([.. replacements.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)JsonValue.Create(r.Value)))]),
                ["revokedInKeyStore"] = inStore,
            });
            return ExitCodes.Ok;
        }, repo, revoked, keyType);
    }
}
