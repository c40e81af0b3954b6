using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Client;

/// <summary>
/// The trusted metadata of one TUF client update cycle and every rule of the detailed client
/// workflow (TUF 5.1–5.6) that decides whether new metadata is trusted. It does no I/O: an updater
/// fetches bytes and feeds them here in workflow order (root chain, timestamp, snapshot, targets),
/// and persists what this set accepted. Each check throws its own typed exception.
/// <para>
/// As in python-tuf, a timestamp or snapshot that passes its signature and rollback checks is kept
/// even if a later check (expiry, or the snapshot version the timestamp names) fails: a locally
/// persisted copy is still the floor for rollback checks of the next one. Those later checks are
/// repeated before the next role is accepted, so nothing is ever trusted on top of them.
/// </para>
/// </summary>
public sealed class TrustedMetadataSet
{
    /// <summary>Largest root.json accepted (TUF 5.3.3 "W bytes"); PQ keys are large.</summary>
    public const int MaxRootBytes = 1024 * 1024;

    /// <summary>Largest timestamp.json accepted (TUF 5.4.1 "X bytes").</summary>
    public const int MaxTimestampBytes = 256 * 1024;

    /// <summary>Limit for snapshot and targets metadata whose length the referencing role does not give.</summary>
    public const int MaxMetadataBytes = CanonicalJson.DefaultMaxBytes;

    private readonly CryptoProviders _providers;
    private readonly SuitePolicy _policy;
    private readonly Dictionary<string, Metadata<TargetsMetadata>> _targets = new(StringComparer.Ordinal);

    /// <summary>
    /// TUF 5.1–5.2: fixes the update start time and loads the trusted root, which must be signed by
    /// its own root threshold. Its expiry does not matter yet (checked after the root chain, 5.3.10).
    /// </summary>
    public TrustedMetadataSet(ReadOnlySpan<byte> trustedRoot, DateTimeOffset referenceTime, CryptoProviders? providers = null, SuitePolicy? policy = null)
    {
        _providers = providers ?? CryptoProviders.Default;
        _policy = policy ?? SuitePolicy.Default;
        ReferenceTime = referenceTime;
        var root = Metadata<RootMetadata>.FromBytes(trustedRoot, MaxRootBytes);
        VerifyThreshold(root, root.Signed, RootMetadata.RoleType);
        Root = root;
    }

    /// <summary>The fixed update start time every expiry is compared with (TUF 5.1).</summary>
    public DateTimeOffset ReferenceTime { get; }

    public Metadata<RootMetadata> Root { get; private set; }

    public Metadata<TimestampMetadata>? Timestamp { get; private set; }

    public Metadata<SnapshotMetadata>? Snapshot { get; private set; }

    /// <summary>The top-level targets role, once accepted.</summary>
    public Metadata<TargetsMetadata>? Targets => _targets.GetValueOrDefault(TargetsMetadata.RoleType);

    /// <summary>Accepted targets roles by name: "targets" and delegated roles.</summary>
    public IReadOnlyDictionary<string, Metadata<TargetsMetadata>> TargetsRoles => _targets;

    /// <summary>
    /// TUF 5.3.11: true once the root chain changed the timestamp or snapshot keys; the updater must
    /// then delete its persisted timestamp and snapshot (recovery from a fast-forward attack).
    /// </summary>
    public bool TimestampOrSnapshotKeysRotated { get; private set; }

    /// <summary>TUF 5.3.4–5.3.7: accepts root version N+1 signed by the old and the new root thresholds.</summary>
    public Metadata<RootMetadata> UpdateRoot(ReadOnlySpan<byte> bytes)
    {
        if (Timestamp is not null)
            throw new InvalidOperationException("The root chain must be complete before timestamp metadata is loaded.");
        var newRoot = Metadata<RootMetadata>.FromBytes(bytes, MaxRootBytes);
        var trusted = Root.Signed;

        // 5.3.4: a threshold of the trusted root's root keys, and of the new root's own root keys.
        VerifyThreshold(newRoot, trusted, RootMetadata.RoleType);
        VerifyThreshold(newRoot, newRoot.Signed, RootMetadata.RoleType);

        // 5.3.5: the new version is exactly N+1 (lower is a rollback; anything else skips the chain).
        var version = newRoot.Signed.Version;
        if (version <= trusted.Version) throw new RollbackAttackException(RootMetadata.RoleType, trusted.Version, version);
        if (version != trusted.Version + 1) throw new BadVersionNumberException(RootMetadata.RoleType, trusted.Version + 1, version);

        // 5.3.6: the intermediate root's expiry does not matter; 5.3.10 checks the final one.
        TimestampOrSnapshotKeysRotated |= KeysChanged(trusted, newRoot.Signed, TimestampMetadata.RoleType)
            || KeysChanged(trusted, newRoot.Signed, SnapshotMetadata.RoleType);
        Root = newRoot; // 5.3.7
        return newRoot;
    }

    /// <summary>TUF 5.3.10: the final root must not have expired (freeze attack).</summary>
    public void CheckRootNotExpired()
    {
        if (Root.Signed.IsExpired(ReferenceTime))
            throw new MetadataExpiredException(RootMetadata.RoleType, Root.Signed.Expires);
    }

    /// <summary>TUF 5.4: accepts timestamp metadata signed by the root's timestamp threshold and not rolled back.</summary>
    public Metadata<TimestampMetadata> UpdateTimestamp(ReadOnlySpan<byte> bytes)
    {
        if (Snapshot is not null)
            throw new InvalidOperationException("Timestamp metadata cannot change once snapshot metadata is loaded.");
        CheckRootNotExpired();
        var timestamp = Metadata<TimestampMetadata>.FromBytes(bytes, MaxTimestampBytes);

        // 5.4.2: arbitrary software attack.
        VerifyThreshold(timestamp, Root.Signed, TimestampMetadata.RoleType);

        if (Timestamp is { } trusted)
        {
            // 5.4.3.1: the timestamp version never goes down.
            if (timestamp.Signed.Version < trusted.Signed.Version)
                throw new RollbackAttackException(TimestampMetadata.RoleType, trusted.Signed.Version, timestamp.Signed.Version);
            // 5.4.3.2: nor does the snapshot version it names.
            var trustedSnapshot = trusted.Signed.SnapshotMeta.Version;
            if (timestamp.Signed.SnapshotMeta.Version < trustedSnapshot)
                throw new RollbackAttackException(SnapshotMetadata.RoleType, trustedSnapshot, timestamp.Signed.SnapshotMeta.Version);
        }

        // Kept as the rollback floor even if expired; 5.4.4 is enforced here and again before snapshot.
        Timestamp = timestamp;
        CheckTimestampNotExpired();
        return timestamp;
    }

    /// <summary>
    /// TUF 5.5: accepts snapshot metadata matching the trusted timestamp's length, hashes and version,
    /// signed by the root's snapshot threshold, unexpired, and not rolling back any targets role.
    /// <paramref name="fromLocalStore"/> marks a copy this client accepted in an earlier cycle: it is
    /// loaded as the rollback floor only, without the length, hash, version and expiry checks against
    /// the current timestamp (those are made before any targets role is accepted on top of it).
    /// </summary>
    public Metadata<SnapshotMetadata> UpdateSnapshot(ReadOnlySpan<byte> bytes, bool fromLocalStore = false)
    {
        if (Timestamp is null) throw new InvalidOperationException("Timestamp metadata must be loaded before snapshot metadata.");
        if (_targets.Count > 0) throw new InvalidOperationException("Snapshot metadata cannot change once targets metadata is loaded.");
        CheckTimestampNotExpired();
        var meta = Timestamp.Signed.SnapshotMeta;

        // 5.5.1–5.5.2: length and hashes the timestamp vouches for (mix-and-match, endless data).
        if (!fromLocalStore) CheckLengthAndHashes(bytes, "snapshot.json", meta);
        var snapshot = Metadata<SnapshotMetadata>.FromBytes(bytes, MaxMetadataBytes);

        // 5.5.3: arbitrary software attack.
        VerifyThreshold(snapshot, Root.Signed, SnapshotMetadata.RoleType);

        // 5.5.5: no targets role disappears or goes down in version.
        if (Snapshot is { } trusted)
        {
            foreach (var (name, old) in trusted.Signed.Meta)
            {
                if (!snapshot.Signed.Meta.TryGetValue(name, out var now))
                    throw new RollbackAttackException(name, old.Version, 0);
                if (now.Version < old.Version) throw new RollbackAttackException(name, old.Version, now.Version);
            }
        }

        // 5.5.4 and 5.5.6; a copy from the local store is only a rollback floor, so for it these
        // checks wait until a targets role is loaded on top of it.
        if (!fromLocalStore) CheckFinalSnapshot(snapshot.Signed);
        Snapshot = snapshot;
        return snapshot;
    }

    /// <summary>TUF 5.6.1–5.6.5 for the top-level targets role, delegated by root.</summary>
    public Metadata<TargetsMetadata> UpdateTargets(ReadOnlySpan<byte> bytes) =>
        UpdateDelegatedTargets(bytes, TargetsMetadata.RoleType, RootMetadata.RoleType);

    /// <summary>
    /// TUF 5.6.1–5.6.5 (and 5.6.7 for delegations): accepts targets metadata for <paramref name="roleName"/>
    /// as delegated by <paramref name="delegatorName"/> (root for the top-level role, an accepted targets
    /// role otherwise), checked against the snapshot's entry for it.
    /// </summary>
    public Metadata<TargetsMetadata> UpdateDelegatedTargets(ReadOnlySpan<byte> bytes, string roleName, string delegatorName)
    {
        ArgumentNullException.ThrowIfNull(roleName);
        ArgumentNullException.ThrowIfNull(delegatorName);
        if (Snapshot is null) throw new InvalidOperationException("Snapshot metadata must be loaded before targets metadata.");
        CheckFinalSnapshot(Snapshot.Signed);
        var (roleKeys, keys) = DelegationOf(roleName, delegatorName);

        // 5.6.1–5.6.2: the snapshot must list the role; length and hashes if it gives them.
        var fileName = roleName + ".json";
        if (!Snapshot.Signed.Meta.TryGetValue(fileName, out var meta))
            throw new MixAndMatchException(roleName, "not listed in the trusted snapshot.");
        CheckLengthAndHashes(bytes, fileName, meta);
        var targets = Metadata<TargetsMetadata>.FromBytes(bytes, MaxMetadataBytes);

        // 5.6.3: arbitrary software attack.
        VerifyThreshold(targets, roleName, roleKeys, keys);

        // 5.6.4: exactly the version the snapshot names.
        if (targets.Signed.Version != meta.Version)
            throw new MixAndMatchException(roleName, $"version {targets.Signed.Version}, but the snapshot names version {meta.Version}.");

        // 5.6.5: freeze attack.
        if (targets.Signed.IsExpired(ReferenceTime)) throw new MetadataExpiredException(roleName, targets.Signed.Expires);
        _targets[roleName] = targets;
        return targets;
    }

    private (RoleKeys RoleKeys, IReadOnlyDictionary<string, TufKey> Keys) DelegationOf(string roleName, string delegatorName)
    {
        if (delegatorName == RootMetadata.RoleType)
        {
            if (roleName != TargetsMetadata.RoleType)
                throw new InvalidOperationException($"Root delegates only the targets role, not {roleName}.");
            return (Root.Signed.RoleFor(roleName), Root.Signed.Keys);
        }

        if (!_targets.TryGetValue(delegatorName, out var delegator))
            throw new InvalidOperationException($"Delegating role {delegatorName} is not loaded.");
        var delegations = delegator.Signed.Delegations;
        var role = delegations?.Roles.FirstOrDefault(r => r.Name == roleName)
            ?? throw new InvalidOperationException($"{delegatorName} does not delegate to {roleName}.");
        return (role.Keys, delegations.Keys);
    }

    private void CheckTimestampNotExpired()
    {
        var timestamp = Timestamp!.Signed;
        if (timestamp.IsExpired(ReferenceTime)) throw new MetadataExpiredException(TimestampMetadata.RoleType, timestamp.Expires);
    }

    /// <summary>TUF 5.5.4 and 5.5.6, repeated before any targets role is trusted.</summary>
    private void CheckFinalSnapshot(SnapshotMetadata snapshot)
    {
        var expected = Timestamp!.Signed.SnapshotMeta.Version;
        if (snapshot.Version != expected)
            throw new MixAndMatchException(SnapshotMetadata.RoleType, $"version {snapshot.Version}, but the timestamp names version {expected}.");
        if (snapshot.IsExpired(ReferenceTime)) throw new MetadataExpiredException(SnapshotMetadata.RoleType, snapshot.Expires);
    }

    private static void CheckLengthAndHashes(ReadOnlySpan<byte> bytes, string fileName, MetaFile meta)
    {
        if (meta.Length is { } length && bytes.Length > length) throw new LengthExceededException(fileName, length);
        if (meta.Hashes is not { } hashes) return;
        foreach (var (algorithm, expectedHex) in hashes)
        {
            byte[] actual = algorithm switch
            {
                "sha256" => SHA256.HashData(bytes),
                "sha512" => SHA512.HashData(bytes),
                _ => [],
            };
            // Unknown hash algorithms cannot be checked; the known ones must all match.
            if (actual.Length == 0) continue;
            if (!CryptographicOperations.FixedTimeEquals(actual, Convert.FromHexString(expectedHex)))
                throw new HashMismatchException(fileName, algorithm);
        }

        if (!hashes.ContainsKey("sha256") && !hashes.ContainsKey("sha512"))
            throw new MalformedInputException($"{fileName}: no supported hash algorithm among {string.Join(", ", hashes.Keys)}.");
    }

    private static bool KeysChanged(RootMetadata before, RootMetadata after, string role)
    {
        var old = before.RoleFor(role);
        var now = after.RoleFor(role);
        return old.Threshold != now.Threshold
            || !old.KeyIds.Order(StringComparer.Ordinal).SequenceEqual(now.KeyIds.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private void VerifyThreshold<T>(Metadata<T> metadata, RootMetadata root, string roleName)
        where T : RoleMetadata, IRoleMetadata<T> =>
        VerifyThreshold(metadata, roleName, root.RoleFor(roleName), root.Keys);

    /// <summary>
    /// The TUF threshold rule under the suite policy: a key counts only while the policy accepts its
    /// algorithm (<see cref="SuitePolicy.Accepts"/>: a key of a refused algorithm counts zero, a composite
    /// key counts while one of its halves is accepted), so a role is met only by keys still accepted.
    /// Metadata that would have met its threshold only with refused keys is refused with
    /// <see cref="SuiteRefusedException"/> (exit 15) naming the refused algorithms, rather than reported
    /// as a bad signature.
    /// </summary>
    private void VerifyThreshold<T>(Metadata<T> metadata, string roleName, RoleKeys roleKeys, IReadOnlyDictionary<string, TufKey> keys)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        bool Refused(TufKey key) => key.Algorithm is { } algorithm && !_policy.Accepts(algorithm);
        var accepted = keys.Where(k => !Refused(k.Value)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        var valid = ThresholdVerifier.CountValidSignatures(metadata, roleKeys, accepted, _providers);
        if (valid >= roleKeys.Threshold) return;

        // Only on failure: which refused algorithms would have made up the difference.
        var refusedSigners = roleKeys.KeyIds
            .Select(id => keys.GetValueOrDefault(id))
            .Where(k => k is not null && Refused(k))
            .Select(k => k!.Algorithm!)
            .Distinct()
            .Where(algorithm => ThresholdVerifier.CountValidSignatures(
                metadata, roleKeys, keys.Where(k => k.Value.Algorithm == algorithm).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal), _providers) > 0)
            .ToList();
        if (refusedSigners.Count > 0 && ThresholdVerifier.CountValidSignatures(metadata, roleKeys, keys, _providers) >= roleKeys.Threshold)
        {
            var reasons = string.Join("; ", refusedSigners.Select(a => _policy.RefusalOf(a)));
            throw new SuiteRefusedException(0, refusedSigners[0],
                $"Role {roleName} meets its threshold only with keys this policy refuses ({reasons}): {valid} of {roleKeys.Threshold} signatures by accepted keys.");
        }

        throw new ThresholdNotMetException(roleName, valid, roleKeys.Threshold);
    }
}
