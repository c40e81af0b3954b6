using Enigm.Ota.Eligibility;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Repository;

/// <summary>Changes that stage new, unsigned metadata versions.</summary>
public sealed partial class TufRepository
{
    /// <summary>
    /// Adds (or replaces) a target in <paramref name="role"/>: records its length, sha256 and sha512
    /// (TUF 4.5) and the release rules as its custom object, and stores the file as
    /// <c>targets/HASH.NAME</c> for both digests (TUF 5.7.3). The role's next version is staged unsigned.
    /// </summary>
    public TargetFile AddTarget(string artifactFile, string targetPath, ReleaseRules? rules, string role = "targets")
    {
        ArgumentNullException.ThrowIfNull(artifactFile);
        TargetPath.Validate(targetPath);
        if (!File.Exists(artifactFile)) throw new RepositoryException($"Artifact {artifactFile} does not exist.");
        CheckDelegatedPath(role, targetPath);
        var (length, hashes) = FileIo($"read artifact {artifactFile}", () => TargetArtifact.Measure(artifactFile));
        var target = new TargetFile(length, hashes, rules?.ToCustom());
        foreach (var hash in hashes.Values)
        {
            var stored = Layout.TargetFile(targetPath, hash);
            FileIo($"store {targetPath} as {stored}", () =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
                File.Copy(artifactFile, stored, overwrite: true);
            });
        }

        EditTargets(role, t => t with
        {
            Targets = new Dictionary<string, TargetFile>(t.Targets, StringComparer.Ordinal) { [targetPath] = target },
        });
        return target;
    }

    /// <summary>Removes a target from <paramref name="role"/> (its files stay: older snapshots may name them).</summary>
    public void RemoveTarget(string targetPath, string role = "targets")
    {
        var current = CurrentTargets(role)?.Signed ?? throw new RepositoryException($"Role {role} has no targets metadata.");
        if (!current.Targets.ContainsKey(targetPath)) throw new TargetNotFoundException(targetPath);
        EditTargets(role, t => t with { Targets = t.Targets.Where(e => e.Key != targetPath).ToDictionary(StringComparer.Ordinal) });
    }

    /// <summary>
    /// Delegates <paramref name="delegation"/>'s paths from the top-level targets role to a new targets
    /// role (TUF 4.5 "delegations"), staging new targets metadata and the delegated role's empty version 1.
    /// </summary>
    public void Delegate(string name, RoleKeySpec keys, IReadOnlyList<string> paths, bool terminating)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(paths);
        if (name.Length is 0 or > 128 || RootMetadata.TopLevelRoles.Contains(name) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            throw new RepositoryException($"\"{name}\" is not a valid delegated role name (letters, digits, - and _; not a top-level role).");
        if (paths.Count == 0) throw new RepositoryException($"Delegation to {name} needs at least one path pattern.");
        CheckThreshold(name, keys.Keys.Count, keys.Threshold);
        var role = new DelegatedRole
        {
            Name = name,
            Keys = new RoleKeys([.. keys.Keys.Select(k => k.KeyId).Distinct()], keys.Threshold),
            Terminating = terminating,
            Paths = paths,
        };
        EditTargets(TargetsMetadata.RoleType, t =>
        {
            var existing = t.Delegations;
            var delegatedKeys = new Dictionary<string, TufKey>(existing?.Keys ?? new Dictionary<string, TufKey>(), StringComparer.Ordinal);
            foreach (var key in keys.Keys) delegatedKeys[key.KeyId] = key;
            var roles = (existing?.Roles ?? []).Where(r => r.Name != name).Append(role).ToList();
            return t with { Delegations = new Delegations { Keys = delegatedKeys, Roles = roles } };
        });
        if (CurrentTargets(name) is null)
        {
            WriteStaged(name, new TargetsMetadata
            {
                Version = 1,
                Expires = Now + Settings.TargetsExpiry,
                Targets = new Dictionary<string, TargetFile>(StringComparer.Ordinal),
            });
        }
    }

    /// <summary>
    /// Replaces <paramref name="oldKeyId"/> with <paramref name="newKey"/> in <paramref name="role"/>:
    /// a new root version for a top-level role, new targets metadata for a delegated one. Returns the
    /// staged root or targets version. For the root role the new root must then be signed by the old
    /// root threshold and the new one (TUF 5.3.4); <see cref="Sign"/> accepts keys of both.
    /// </summary>
    public long RotateKey(string role, string oldKeyId, TufKey newKey)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        if (RootMetadata.TopLevelRoles.Contains(role))
        {
            var root = EditRoot(r =>
            {
                var keys = r.RoleFor(role);
                if (!keys.KeyIds.Contains(oldKeyId)) throw new RepositoryException($"Key {oldKeyId} is not a {role} key.");
                var ids = keys.KeyIds.Select(k => k == oldKeyId ? newKey.KeyId : k).Distinct().ToList();
                return WithRoleKeys(r, role, new RoleKeys(ids, keys.Threshold), [newKey]);
            });
            return root.Version;
        }

        return EditDelegation(role, oldKeyId, [newKey]).Version;
    }

    /// <summary>
    /// Stages a new root (and new targets metadata if a delegation used the key) that no longer lists
    /// <paramref name="keyId"/>. A role left with fewer keys than its threshold gets the key
    /// <paramref name="replacementFor"/> returns for it, or the revocation is refused. Returns the roles changed.
    /// </summary>
    public IReadOnlyList<string> RevokeKey(string keyId, Func<string, TufKey?>? replacementFor = null)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var changed = new List<string>();
        var root = CurrentRoot;
        if (root.Roles.Any(r => r.Value.KeyIds.Contains(keyId)))
        {
            EditRoot(r =>
            {
                var updated = r;
                foreach (var (role, keys) in r.Roles.Where(x => x.Value.KeyIds.Contains(keyId)).ToList())
                {
                    var ids = keys.KeyIds.Where(k => k != keyId).ToList();
                    var added = new List<TufKey>();
                    if (ids.Count < keys.Threshold)
                    {
                        var replacement = replacementFor?.Invoke(role)
                            ?? throw new RepositoryException($"Revoking {keyId} leaves role {role} with {ids.Count} key(s), below its threshold {keys.Threshold}; add a replacement key.");
                        ids.Add(replacement.KeyId);
                        added.Add(replacement);
                    }

                    updated = WithRoleKeys(updated, role, new RoleKeys(ids, keys.Threshold), added);
                    changed.Add(role);
                }

                return updated with { Keys = updated.Keys.Where(k => k.Key != keyId).ToDictionary(StringComparer.Ordinal) };
            });
        }

        foreach (var delegated in CurrentTargets(TargetsMetadata.RoleType)?.Signed.Delegations?.Roles ?? [])
        {
            if (!delegated.Keys.KeyIds.Contains(keyId)) continue;
            var replacement = delegated.Keys.KeyIds.Count - 1 < delegated.Keys.Threshold ? replacementFor?.Invoke(delegated.Name) : null;
            EditDelegation(delegated.Name, keyId, replacement is null ? [] : [replacement]);
            changed.Add(delegated.Name);
        }

        if (changed.Count == 0) throw new RepositoryException($"Key {keyId} is not used by any role.");
        return changed;
    }

    /// <summary>Sets how many signatures a top-level role needs from the next root version on.</summary>
    public long SetThreshold(string role, int threshold)
    {
        var root = EditRoot(r =>
        {
            var keys = r.RoleFor(role);
            CheckThreshold(role, keys.KeyIds.Count, threshold);
            return WithRoleKeys(r, role, new RoleKeys(keys.KeyIds, threshold), []);
        });
        return root.Version;
    }

    /// <summary>Adds a key to a top-level role in the next root version.</summary>
    public long AddKey(string role, TufKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var root = EditRoot(r =>
        {
            var keys = r.RoleFor(role);
            return WithRoleKeys(r, role, new RoleKeys([.. keys.KeyIds.Append(key.KeyId).Distinct()], keys.Threshold), [key]);
        });
        return root.Version;
    }

    private static RootMetadata WithRoleKeys(RootMetadata root, string role, RoleKeys roleKeys, IEnumerable<TufKey> added)
    {
        var roles = new Dictionary<string, RoleKeys>(root.Roles, StringComparer.Ordinal) { [role] = roleKeys };
        var keys = new Dictionary<string, TufKey>(root.Keys, StringComparer.Ordinal);
        foreach (var key in added) keys[key.KeyId] = key;
        // TUF 4.3: "keys" lists the keys the roles use; drop those no role names any more.
        var used = roles.Values.SelectMany(r => r.KeyIds).ToHashSet(StringComparer.Ordinal);
        return root with { Roles = roles, Keys = keys.Where(k => used.Contains(k.Key)).ToDictionary(StringComparer.Ordinal) };
    }

    private TargetsMetadata EditDelegation(string role, string oldKeyId, IReadOnlyList<TufKey> added) =>
        EditTargets(TargetsMetadata.RoleType, t =>
        {
            var delegations = t.Delegations ?? throw new RepositoryException($"Role {role} is not delegated.");
            var delegated = delegations.Roles.FirstOrDefault(r => r.Name == role) ?? throw new RepositoryException($"Role {role} is not delegated.");
            if (!delegated.Keys.KeyIds.Contains(oldKeyId)) throw new RepositoryException($"Key {oldKeyId} is not a {role} key.");
            var ids = delegated.Keys.KeyIds.Where(k => k != oldKeyId).Concat(added.Select(k => k.KeyId)).Distinct().ToList();
            CheckThreshold(role, ids.Count, delegated.Keys.Threshold);
            var roles = delegations.Roles.Select(r => r.Name == role ? r with { Keys = new RoleKeys(ids, r.Keys.Threshold) } : r).ToList();
            var keys = new Dictionary<string, TufKey>(delegations.Keys, StringComparer.Ordinal);
            foreach (var key in added) keys[key.KeyId] = key;
            var used = roles.SelectMany(r => r.Keys.KeyIds).ToHashSet(StringComparer.Ordinal);
            return t with { Delegations = new Delegations { Keys = keys.Where(k => used.Contains(k.Key)).ToDictionary(StringComparer.Ordinal), Roles = roles } };
        });

    /// <summary>Applies a change to the next root version (the staged one, else published + 1); signatures restart.</summary>
    private RootMetadata EditRoot(Func<RootMetadata, RootMetadata> change)
    {
        var staged = StagedRoot?.Signed;
        var published = PublishedRoot?.Signed;
        if (staged is null && published is null) throw new RepositoryException("The repository has no root metadata.");
        var next = staged ?? published! with { Version = published!.Version + 1 };
        var changed = change(next) with { Expires = Now + Settings.RootExpiry };
        WriteStaged(changed);
        return changed;
    }

    /// <summary>Applies a change to the next version of a targets role; signatures restart.</summary>
    private TargetsMetadata EditTargets(string role, Func<TargetsMetadata, TargetsMetadata> change)
    {
        var next = NextTargets(role);
        var changed = change(next) with { Expires = Now + Settings.ExpiryFor(role) };
        WriteStaged(role, changed);
        return changed;
    }

    /// <summary>The staged version of a targets role, else the published one + 1.</summary>
    private TargetsMetadata NextTargets(string role)
    {
        if (StagedTargets(role) is { } staged) return staged.Signed;
        var published = PublishedTargets(role)?.Signed ?? throw new RepositoryException($"Role {role} has no targets metadata (delegate it first).");
        return published with { Version = published.Version + 1, Expires = Now + Settings.ExpiryFor(role) };
    }

    private void CheckDelegatedPath(string role, string targetPath)
    {
        if (role == TargetsMetadata.RoleType) return;
        var delegation = CurrentTargets(TargetsMetadata.RoleType)?.Signed.Delegations?.Roles.FirstOrDefault(r => r.Name == role)
            ?? throw new RepositoryException($"Role {role} is not delegated.");
        if (delegation.Paths is { } paths && !paths.Any(p => PathPattern.Matches(p, targetPath)))
            throw new RepositoryException($"Role {role} is not trusted for {targetPath} (paths: {string.Join(", ", paths)}).");
    }
}
