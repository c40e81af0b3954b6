using System.Security.Cryptography;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Repository;

/// <summary>Signing staged metadata and publishing a consistent snapshot.</summary>
public sealed partial class TufRepository
{
    /// <summary>
    /// Adds the signatures of those <paramref name="signers"/> that hold a key of <paramref name="role"/>
    /// to its staged metadata. A targets role with nothing staged is first staged as its published
    /// version + 1 (so it can be re-signed after a key rotation). For root, keys of the published root
    /// count too: a new root needs the old and the new root thresholds (TUF 5.3.4). Returns the keyids
    /// that signed; <see cref="RepositoryException"/> if none of the signers holds a key of the role.
    /// </summary>
    public IReadOnlyList<string> Sign(string role, IEnumerable<ITufSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(signers);
        var allowed = AllowedSigners(role);
        var mine = signers.Where(s => allowed.Contains(s.Key.KeyId)).ToList();
        if (mine.Count == 0) throw new RepositoryException($"None of the available keys may sign role {role} (its keys: {string.Join(", ", allowed.Select(k => k[..12]))}).");
        if (role == RootMetadata.RoleType)
        {
            var root = StagedRoot ?? throw new RepositoryException("No root metadata is staged (rotate or revoke a key first).");
            WriteAtomically(Layout.Staged(role), mine.Aggregate(root, (m, s) => m.WithSignature(s.Sign(m.SignedBytes))).ToBytes());
        }
        else if (RootMetadata.TopLevelRoles.Contains(role) && role != TargetsMetadata.RoleType)
        {
            throw new RepositoryException($"Role {role} is signed when publishing (enigm release publish / timestamp).");
        }
        else
        {
            var targets = StagedTargets(role) ?? Metadata<TargetsMetadata>.Create(NextTargets(role));
            WriteAtomically(Layout.Staged(role), mine.Aggregate(targets, (m, s) => m.WithSignature(s.Sign(m.SignedBytes))).ToBytes());
        }

        return [.. mine.Select(s => s.Key.KeyId)];
    }

    /// <summary>Signature count against the threshold for a staged role (root: the stricter of the old and new root).</summary>
    public SigningStatus Status(string role)
    {
        if (role == RootMetadata.RoleType)
        {
            var staged = StagedRoot ?? throw new RepositoryException("No root metadata is staged.");
            var own = ThresholdVerifier.CountValidSignatures(staged, staged.Signed.RoleFor(role), staged.Signed.Keys);
            var threshold = staged.Signed.RoleFor(role).Threshold;
            var valid = own;
            if (PublishedRoot is { } published)
            {
                // TUF 5.3.4: both thresholds must be met; report the role that is furthest from it.
                var old = ThresholdVerifier.CountValidSignatures(staged, published.Signed.RoleFor(role), published.Signed.Keys);
                if (old - published.Signed.RoleFor(role).Threshold < own - threshold) (valid, threshold) = (old, published.Signed.RoleFor(role).Threshold);
            }

            return new SigningStatus(role, staged.Signed.Version, valid, threshold, [.. staged.Signatures.Select(s => s.KeyId)], [.. AllowedSigners(role)]);
        }

        var targets = StagedTargets(role) ?? throw new RepositoryException($"No {role} metadata is staged.");
        var (roleKeys, keys) = KeysOf(role, CurrentRoot);
        return new SigningStatus(role, targets.Signed.Version, ThresholdVerifier.CountValidSignatures(targets, roleKeys, keys), roleKeys.Threshold,
            [.. targets.Signatures.Select(s => s.KeyId)], [.. roleKeys.KeyIds]);
    }

    /// <summary>
    /// Publishes everything staged: checks each role's threshold (root against the old and the new root,
    /// TUF 5.3.4), writes <c>N.ROLE.json</c> files, then signs a new snapshot listing every targets role
    /// (TUF 4.4) and a new timestamp naming that snapshot (TUF 4.6) with the <paramref name="signers"/>
    /// holding the online keys. Nothing is written unless every check passes;
    /// <see cref="ThresholdNotMetException"/> names a role still short of signatures.
    /// </summary>
    public PublishResult Publish(IEnumerable<ITufSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(signers);
        var available = signers.ToList();
        var written = new List<(string File, byte[] Bytes)>();
        var publishedRoot = PublishedRoot;
        var stagedRoot = StagedRoot;
        var root = stagedRoot ?? publishedRoot ?? throw new RepositoryException("The repository has no root metadata.");
        if (stagedRoot is not null)
        {
            ThresholdVerifier.VerifyThreshold(stagedRoot, stagedRoot.Signed, RootMetadata.RoleType);
            if (publishedRoot is not null)
            {
                ThresholdVerifier.VerifyThreshold(stagedRoot, publishedRoot.Signed, RootMetadata.RoleType);
                if (stagedRoot.Signed.Version != publishedRoot.Signed.Version + 1)
                    throw new BadVersionNumberException(RootMetadata.RoleType, publishedRoot.Signed.Version + 1, stagedRoot.Signed.Version);
            }

            var bytes = stagedRoot.ToBytes();
            written.Add((Layout.Versioned(RootMetadata.RoleType, stagedRoot.Signed.Version), bytes));
            written.Add((Layout.Current(RootMetadata.RoleType), bytes));
        }

        // Top-level targets, then every role it delegates to: staged or published, each must verify now.
        var meta = new Dictionary<string, MetaFile>(StringComparer.Ordinal);
        var targets = PublishRole(TargetsMetadata.RoleType, root.Signed.RoleFor(TargetsMetadata.RoleType), root.Signed.Keys, written, meta);
        foreach (var delegated in targets.Signed.Delegations?.Roles ?? [])
            PublishRole(delegated.Name, delegated.Keys, targets.Signed.Delegations!.Keys, written, meta);

        var previousSnapshot = PublishedTimestamp?.Signed.SnapshotMeta.Version ?? 0;
        var snapshot = SignOnline(new SnapshotMetadata { Version = previousSnapshot + 1, Expires = Now + Settings.SnapshotExpiry, Meta = meta }, root.Signed, available);
        var snapshotBytes = snapshot.ToBytes();
        written.Add((Layout.Versioned(SnapshotMetadata.RoleType, snapshot.Signed.Version), snapshotBytes));
        var timestamp = NewTimestamp(snapshot.Signed.Version, snapshotBytes, root.Signed, available);
        written.Add((Layout.Current(TimestampMetadata.RoleType), timestamp.ToBytes()));

        // Clients read timestamp first, so it is written last: every file it leads to already exists.
        foreach (var (file, bytes) in written) WriteAtomically(file, bytes);
        foreach (var role in StagedRoles) FileIo($"remove the published staged {role}", () => File.Delete(Layout.Staged(role)));
        return new PublishResult(root.Signed.Version, targets.Signed.Version, snapshot.Signed.Version, timestamp.Signed.Version,
            [.. written.Select(w => Path.GetRelativePath(Layout.Root, w.File).Replace(Path.DirectorySeparatorChar, '/'))]);
    }

    /// <summary>
    /// TUF 6.1 "timestamp": a new timestamp version for the current snapshot with a fresh expiry, so
    /// clients keep seeing a live repository. Needs the timestamp keys only.
    /// </summary>
    public Metadata<TimestampMetadata> RefreshTimestamp(IEnumerable<ITufSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(signers);
        var root = PublishedRoot?.Signed ?? throw new RepositoryException("Nothing is published yet (run 'enigm release publish').");
        var current = PublishedTimestamp ?? throw new RepositoryException("Nothing is published yet (run 'enigm release publish').");
        var snapshotVersion = current.Signed.SnapshotMeta.Version;
        var snapshotBytes = ReadFile(Layout.Versioned(SnapshotMetadata.RoleType, snapshotVersion), MaxMetadataBytes);
        var timestamp = NewTimestamp(snapshotVersion, snapshotBytes, root, [.. signers], current.Signed.Version + 1);
        WriteAtomically(Layout.Current(TimestampMetadata.RoleType), timestamp.ToBytes());
        return timestamp;
    }

    private Metadata<TargetsMetadata> PublishRole(string role, RoleKeys roleKeys, IReadOnlyDictionary<string, TufKey> keys, List<(string, byte[])> written, Dictionary<string, MetaFile> meta)
    {
        var staged = StagedTargets(role);
        var published = PublishedTargets(role);
        var metadata = staged ?? published ?? throw new RepositoryException($"Role {role} has no metadata to publish.");
        // A published role that no longer meets the (possibly rotated) keys must be re-signed first.
        ThresholdVerifier.VerifyThreshold(metadata, role, roleKeys, keys);
        if (staged is not null && published is not null && staged.Signed.Version <= published.Signed.Version)
            throw new RollbackAttackException(role, published.Signed.Version, staged.Signed.Version);
        var bytes = metadata.ToBytes();
        if (staged is not null) written.Add((Layout.Versioned(role, metadata.Signed.Version), bytes));
        meta[role + ".json"] = MetaOf(metadata.Signed.Version, bytes);
        return metadata;
    }

    private Metadata<TimestampMetadata> NewTimestamp(long snapshotVersion, byte[] snapshotBytes, RootMetadata root, IReadOnlyList<ITufSigner> signers, long? version = null) =>
        SignOnline(new TimestampMetadata
        {
            Version = version ?? (PublishedTimestamp?.Signed.Version ?? 0) + 1,
            Expires = Now + Settings.TimestampExpiry,
            Meta = new Dictionary<string, MetaFile>(StringComparer.Ordinal) { [TimestampMetadata.SnapshotFileName] = MetaOf(snapshotVersion, snapshotBytes) },
        }, root, signers);

    private static Metadata<T> SignOnline<T>(T role, RootMetadata root, IReadOnlyList<ITufSigner> signers)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        var roleKeys = root.RoleFor(role.Type);
        var metadata = signers.Where(s => roleKeys.KeyIds.Contains(s.Key.KeyId))
            .Aggregate(Metadata<T>.Create(role), (m, s) => m.WithSignature(s.Sign(m.SignedBytes)));
        ThresholdVerifier.VerifyThreshold(metadata, root, role.Type);
        return metadata;
    }

    /// <summary>TUF 4.4 METAFILES with length and both hashes, so clients can bound and check the download.</summary>
    private static MetaFile MetaOf(long version, byte[] bytes) => new(version, bytes.Length, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        ["sha512"] = Convert.ToHexStringLower(SHA512.HashData(bytes)),
    });

    /// <summary>Keyids whose signatures count for <paramref name="role"/>' staged metadata.</summary>
    private HashSet<string> AllowedSigners(string role)
    {
        if (role == RootMetadata.RoleType)
        {
            var ids = new HashSet<string>(CurrentRoot.RoleFor(role).KeyIds, StringComparer.Ordinal);
            if (PublishedRoot is { } published) ids.UnionWith(published.Signed.RoleFor(role).KeyIds);
            return ids;
        }

        return new HashSet<string>(KeysOf(role, CurrentRoot).RoleKeys.KeyIds, StringComparer.Ordinal);
    }

    private (RoleKeys RoleKeys, IReadOnlyDictionary<string, TufKey> Keys) KeysOf(string role, RootMetadata root)
    {
        if (RootMetadata.TopLevelRoles.Contains(role)) return (root.RoleFor(role), root.Keys);
        var delegations = CurrentTargets(TargetsMetadata.RoleType)?.Signed.Delegations;
        var delegated = delegations?.Roles.FirstOrDefault(r => r.Name == role) ?? throw new RepositoryException($"Role {role} is not delegated.");
        return (delegated.Keys, delegations!.Keys);
    }
}
