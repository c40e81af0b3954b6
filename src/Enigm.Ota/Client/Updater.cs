using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Suites;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Client;

/// <summary>
/// The TUF detailed client workflow (TUF 1.0.x section 5) over a fetcher and a persisted store:
/// <see cref="Refresh"/> runs 5.2–5.6 (root chain, timestamp, snapshot, top-level targets),
/// <see cref="FindTarget"/> the 5.6.7 delegation search, and <see cref="Download"/> 5.7 (the target
/// into a staging file, streamed through length and hash checks, moved into place only once it
/// verifies). Every rule is enforced by <see cref="TrustedMetadataSet"/>; this class does the I/O.
/// </summary>
public sealed class Updater
{
    /// <summary>TUF 5.3.3: at most this many new root versions are fetched in one cycle.</summary>
    public const int MaxRootRotations = 32;

    /// <summary>TUF 5.6.7: at most this many delegated roles are visited for one target.</summary>
    public const int MaxDelegations = 32;

    private readonly IRepositoryFetcher _fetcher;
    private readonly IRepositoryFetcher _targets;
    private readonly TrustedMetadataStore _store;
    private readonly CryptoProviders? _providers;
    private TrustedMetadataSet? _trusted;

    /// <summary>An updater over a flat repository: metadata and target files under one base.</summary>
    public Updater(IRepositoryFetcher fetcher, TrustedMetadataStore store, CryptoProviders? providers = null)
        : this(fetcher, fetcher, store, providers)
    {
    }

    /// <summary>An updater with separate metadata and targets bases (see <see cref="RepositorySource"/>).</summary>
    public Updater(IRepositoryFetcher metadata, IRepositoryFetcher targets, TrustedMetadataStore store, CryptoProviders? providers = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(store);
        _fetcher = metadata;
        _targets = targets;
        _store = store;
        _providers = providers;
    }

    /// <summary>Suite policy: keys whose algorithm it refuses count for no threshold (<c>SuiteRefusedException</c>).</summary>
    public SuitePolicy Policy { get; init; } = SuitePolicy.Default;

    /// <summary>The metadata trusted by the last <see cref="Refresh"/>.</summary>
    public TrustedMetadataSet Trusted => _trusted ?? throw new InvalidOperationException("Call Refresh first.");

    /// <summary>
    /// TUF 5.2–5.6.6: loads the stored root, follows the root chain, then fetches timestamp,
    /// snapshot and top-level targets, persisting each as soon as it is trusted.
    /// <paramref name="now"/> is the fixed reference time of the cycle (TUF 5.1).
    /// </summary>
    public TrustedMetadataSet Refresh(DateTimeOffset? now = null)
    {
        var trusted = TrustedRootBootstrap.LoadStored(_store, now ?? DateTimeOffset.UtcNow, Policy, _providers);
        _trusted = trusted;
        UpdateRootChain(trusted);
        UpdateTimestamp(trusted);
        UpdateSnapshot(trusted);
        UpdateTargets(trusted, TargetsMetadata.RoleType, RootMetadata.RoleType);
        return trusted;
    }

    /// <summary>
    /// TUF 5.6.7: pre-order depth-first search of the delegation graph for <paramref name="targetPath"/>,
    /// loading delegated roles on demand. Roles are visited once, at most <see cref="MaxDelegations"/>
    /// of them; a terminating delegation that matches ends the search below it. Returns null when no
    /// trusted role lists the path.
    /// </summary>
    public ResolvedTarget? FindTarget(string targetPath)
    {
        ArgumentNullException.ThrowIfNull(targetPath);
        foreach (var (role, targets) in WalkDelegations(targets => TrustedChildren(targets, targetPath)))
        {
            if (targets.Targets.TryGetValue(targetPath, out var file)) return new ResolvedTarget(targetPath, file, role);
        }

        return null;
    }

    /// <summary>The delegations of <paramref name="targets"/> trusted for <paramref name="targetPath"/>, in priority order, up to the first terminating one.</summary>
    private static (List<DelegatedRole> Children, bool Terminating) TrustedChildren(TargetsMetadata targets, string targetPath)
    {
        var children = new List<DelegatedRole>();
        foreach (var child in targets.Delegations?.Roles ?? [])
        {
            if (!DelegationMatcher.IsTrustedFor(child, targetPath)) continue;
            children.Add(child);
            if (child.Terminating) return (children, true);
        }

        return (children, false);
    }

    /// <summary>
    /// <see cref="FindTarget"/>, failing with <see cref="TargetNotFoundException"/> when no trusted
    /// role is entitled to list the path (extraneous dependencies, TUF 5.6.7 search exhausted).
    /// </summary>
    public ResolvedTarget RequireTarget(string targetPath) =>
        FindTarget(targetPath) ?? throw new TargetNotFoundException(targetPath);

    /// <summary>
    /// Every target path the trusted roles can vouch for: the names listed by any reachable role,
    /// each resolved through <see cref="FindTarget"/> so a delegated role only counts for the paths
    /// it is trusted for, and the highest-priority role wins.
    /// </summary>
    public IReadOnlyList<ResolvedTarget> ListTargets()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, targets) in WalkDelegations(targets => (targets.Delegations?.Roles ?? [], false)))
            names.UnionWith(targets.Targets.Keys);
        return [.. names.Select(FindTarget).OfType<ResolvedTarget>()];
    }

    /// <summary>
    /// TUF 5.6.7: pre-order depth-first walk of the delegation graph from the top-level targets role,
    /// loading (and verifying) each role on demand. Every role is visited once, at most
    /// <see cref="MaxDelegations"/> of them. <paramref name="children"/> gives the roles to visit below
    /// one, in priority order, and whether the last is a terminating match (no backtracking after it).
    /// </summary>
    private IEnumerable<(string Role, TargetsMetadata Targets)> WalkDelegations(
        Func<TargetsMetadata, (IReadOnlyList<DelegatedRole> Children, bool Terminating)> children)
    {
        var trusted = Trusted;
        var toVisit = new Stack<(string Role, string Delegator)>();
        toVisit.Push((TargetsMetadata.RoleType, RootMetadata.RoleType));
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (toVisit.Count > 0 && visited.Count <= MaxDelegations)
        {
            var (role, delegator) = toVisit.Pop();
            if (!visited.Add(role)) continue;
            var targets = UpdateTargets(trusted, role, delegator).Signed;
            yield return (role, targets);

            var (next, terminating) = children(targets);
            // A terminating delegation: no backtracking to roles not yet visited.
            if (terminating) toVisit.Clear();

            // Push in reverse so the highest-priority child is visited first.
            for (var i = next.Count - 1; i >= 0; i--) toVisit.Push((next[i].Name, role));
        }
    }

    /// <summary>
    /// TUF 5.7: downloads <paramref name="target"/> to its relative path under
    /// <paramref name="outDirectory"/> (created if missing; <see cref="TargetOutputPath"/> refuses a
    /// path that would leave it), through a staging file beside the final one, checking length and
    /// hashes while streaming, and renames it into place only once it verified. An existing file is
    /// replaced only when <paramref name="overwrite"/> is true. Returns the final path.
    /// </summary>
    public string Download(ResolvedTarget target, string outDirectory, IProgress<long>? progress = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(outDirectory);
        var segments = RepositoryPaths.Segments(target.Path);
        var remote = RemoteTargetPath(target, segments);
        if (File.Exists(outDirectory)) throw new RepositoryException($"Output folder {outDirectory} is a file.");
        var final = TargetOutputPath.Resolve(outDirectory, target.Path);
        if (Directory.Exists(final)) throw new RepositoryException($"Cannot write {final}: a folder of that name exists.");
        if (!overwrite && File.Exists(final)) throw AlreadyExists(final);

        var folder = Path.GetDirectoryName(final)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Cannot create the output folder {folder}: {e.Message}", e);
        }

        var staging = Path.Combine(folder, $".{segments[^1]}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var source = _targets.Open(remote, target.File.Length) ?? throw new RepositoryException($"{_targets.Location} has no file {remote}."))
            using (var output = new FileStream(staging, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                ArtifactVerifier.Verify(source, output, target.Path, target.File.Length, target.File.Hashes, progress);
                output.Flush(flushToDisk: true);
            }

            // Without overwrite the rename itself refuses a file that appeared meanwhile.
            File.Move(staging, final, overwrite);
            return final;
        }
        catch (IOException) when (!overwrite && File.Exists(final))
        {
            throw AlreadyExists(final);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Cannot write {final}: {e.Message}", e);
        }
        finally
        {
            TryDelete(staging);
        }
    }

    private static RepositoryException AlreadyExists(string path) =>
        new($"{path} already exists; not replacing it (ask for overwrite: enigm update fetch --force).");

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover .partial file is never mistaken for a verified artifact.
        }
    }

    /// <summary>TUF 5.7.3: with consistent snapshots the file is fetched as DIR/HASH.FILENAME.</summary>
    private string RemoteTargetPath(ResolvedTarget target, string[] segments)
    {
        if (!Trusted.Root.Signed.ConsistentSnapshot) return target.Path;
        var hash = target.File.Hashes.TryGetValue("sha256", out var sha256) ? sha256 : target.File.Hashes.First().Value;
        return string.Join('/', segments[..^1].Append($"{hash}.{segments[^1]}"));
    }

    /// <summary>TUF 5.3.2–5.3.11.</summary>
    private void UpdateRootChain(TrustedMetadataSet trusted)
    {
        for (var i = 0; i < MaxRootRotations; i++)
        {
            var next = trusted.Root.Signed.Version + 1;
            var bytes = Fetch($"{next}.root.json", TrustedMetadataSet.MaxRootBytes, optional: true);
            if (bytes is null) break;
            trusted.UpdateRoot(bytes);
            _store.Save(RootMetadata.RoleType, bytes); // 5.3.8
        }

        trusted.CheckRootNotExpired(); // 5.3.10
        if (trusted.TimestampOrSnapshotKeysRotated)
        {
            // 5.3.11: recovery from a fast-forward attack: forget the old floors.
            _store.Delete(TimestampMetadata.RoleType);
            _store.Delete(SnapshotMetadata.RoleType);
        }
    }

    /// <summary>TUF 5.4: the stored timestamp is the rollback floor for the new one.</summary>
    private void UpdateTimestamp(TrustedMetadataSet trusted)
    {
        LoadLocal(TimestampMetadata.RoleType, bytes => trusted.UpdateTimestamp(bytes));
        var bytes = Fetch("timestamp.json", TrustedMetadataSet.MaxTimestampBytes, optional: false)!;
        trusted.UpdateTimestamp(bytes);
        _store.Save(TimestampMetadata.RoleType, bytes); // 5.4.5
    }

    /// <summary>TUF 5.5.</summary>
    private void UpdateSnapshot(TrustedMetadataSet trusted)
    {
        LoadLocal(SnapshotMetadata.RoleType, bytes => trusted.UpdateSnapshot(bytes, fromLocalStore: true));
        var meta = trusted.Timestamp!.Signed.SnapshotMeta;
        var name = trusted.Root.Signed.ConsistentSnapshot ? $"{meta.Version}.snapshot.json" : "snapshot.json";
        var bytes = Fetch(name, meta.Length ?? TrustedMetadataSet.MaxMetadataBytes, optional: false)!;
        trusted.UpdateSnapshot(bytes);
        _store.Save(SnapshotMetadata.RoleType, bytes); // 5.5.7
    }

    /// <summary>TUF 5.6 for one targets role (top-level or delegated), unless already loaded in this cycle.</summary>
    private Metadata<TargetsMetadata> UpdateTargets(TrustedMetadataSet trusted, string role, string delegator)
    {
        if (trusted.TargetsRoles.TryGetValue(role, out var loaded)) return loaded;
        var fileName = role + ".json";
        if (!trusted.Snapshot!.Signed.Meta.TryGetValue(fileName, out var meta))
            throw new MixAndMatchException(role, "not listed in the trusted snapshot.");
        var name = trusted.Root.Signed.ConsistentSnapshot ? $"{meta.Version}.{fileName}" : fileName;
        var bytes = Fetch(name, meta.Length ?? TrustedMetadataSet.MaxMetadataBytes, optional: false)!;
        var targets = trusted.UpdateDelegatedTargets(bytes, role, delegator);
        _store.Save(role, bytes); // 5.6.6
        return targets;
    }

    /// <summary>
    /// Feeds stored metadata to the trusted set as the rollback floor. A stored copy that no longer
    /// verifies (keys rotated, damaged file) is ignored, as TUF 5.4/5.5 permit; an expired one has
    /// still been kept by the set as the floor.
    /// </summary>
    private void LoadLocal(string role, Action<byte[]> load)
    {
        if (_store.Load(role) is not { } bytes) return;
        try
        {
            load(bytes);
        }
        catch (EnigmException)
        {
            // Not trusted any more; the remote copy must stand on its own.
        }
    }

    private byte[]? Fetch(string path, long maxLength, bool optional)
    {
        using var stream = _fetcher.Open(path, maxLength);
        if (stream is null)
            return optional ? null : throw new RepositoryException($"{_fetcher.Location} has no {path}.");
        return LengthLimitedStream.ReadAll(stream);
    }
}
