using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;
using static Enigm.Cli.Commands.Release.ReleaseArguments;

namespace Enigm.Cli.Commands.Release;

/// <summary><c>enigm release rotate-key REPO --role R</c>: replace a role's key; stages new root (or targets) metadata to sign.</summary>
internal static class RotateKeyCommand
{
    public static Command Build(HolderCommands holder)
    {
        var repo = HolderCommands.Repo();
        var role = HolderCommands.Role();
        var keyType = HolderCommands.KeyType();
        var oldKey = new Option<string?>("--key") { Description = "Keyid to replace (default: the role's key held in this --home)." };
        return holder.Leaf("rotate-key", "Replace a role's key with a new one generated in this --home; stages a new root (or targets for a delegated role) to be signed.", (n, keys, p) =>
        {
            var repository = TufRepository.Open(p.GetValue(repo)!);
            var roleName = p.GetValue(role)!;
            var current = RootMetadata.TopLevelRoles.Contains(roleName)
                ? repository.CurrentRoot.RoleFor(roleName).KeyIds
                : repository.CurrentTargets("targets")?.Signed.Delegations?.Roles.FirstOrDefault(r => r.Name == roleName)?.Keys.KeyIds ?? [];
            var held = keys.Signers().Select(s => s.Key.KeyId).ToHashSet(StringComparer.Ordinal);
            var replaced = p.GetValue(oldKey) ?? current.FirstOrDefault(held.Contains)
                ?? throw new UsageException($"this --home holds no {roleName} key; name the key to replace with --key");
            var key = keys.Generate(roleName, KeyType(p.GetValue(keyType)!, roleName), $"TUF {roleName} key rotation");
            var version = repository.RotateKey(roleName, replaced, key);
            n.Line($"  {roleName}: {replaced[..16]} -> {key.KeyId[..16]}; staged v{version}: sign it with the old and new keys, then publish");
            n.WriteJson(new JsonObject { ["role"] = roleName, ["oldKeyid"] = replaced, ["newKeyid"] = key.KeyId, ["stagedVersion"] = version });
            return ExitCodes.Ok;
        }, repo, role, keyType, oldKey);
    }
}
