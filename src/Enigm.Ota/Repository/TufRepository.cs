using Enigm.Crypto.Errors;
using Enigm.Ota.Errors;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Repository;

/// <summary>
/// The signing side of a TUF repository on disk (TUF 1.0.x section 6, "the repository"). Changes are
/// first <em>staged</em> as unsigned metadata (a new root, targets or delegated targets version) so
/// that several key holders, each with their own keys, can add signatures one after the other
/// (<see cref="Sign"/>); <see cref="Publish"/> then checks every threshold, writes the consistent
/// snapshot files and signs new snapshot and timestamp metadata with the online keys. The class holds
/// no private key: signing goes through <see cref="ITufSigner"/>.
/// </summary>
public sealed partial class TufRepository
{
    /// <summary>Largest metadata file the repository reads back from its own folder.</summary>
    public const int MaxMetadataBytes = CanonicalJson.DefaultMaxBytes;

    private readonly TimeProvider _clock;

    private TufRepository(RepositoryLayout layout, RepositorySettings settings, TimeProvider clock)
    {
        Layout = layout;
        Settings = settings;
        _clock = clock;
    }

    public RepositoryLayout Layout { get; }

    public RepositorySettings Settings { get; }

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>
    /// Creates a repository with root version 1 and an empty targets version 1, both staged and unsigned.
    /// <paramref name="roles"/> gives the keys and threshold of each of the four top-level roles.
    /// </summary>
    public static TufRepository Init(string path, IReadOnlyDictionary<string, RoleKeySpec> roles, RepositorySettings? settings = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(roles);
        var layout = new RepositoryLayout(path);
        if (File.Exists(layout.SettingsFile)) throw new RepositoryException($"A repository already exists at {layout.Root}.");
        foreach (var role in RootMetadata.TopLevelRoles)
        {
            if (!roles.TryGetValue(role, out var spec)) throw new RepositoryException($"No keys given for role {role}.");
            CheckThreshold(role, spec.Keys.Count, spec.Threshold);
        }

        settings ??= new RepositorySettings();
        if (File.Exists(layout.Root)) throw new RepositoryException($"Cannot create a repository at {layout.Root}: it is a file.");
        FileIo($"create a repository at {layout.Root}", () =>
        {
            Directory.CreateDirectory(layout.MetadataDirectory);
            Directory.CreateDirectory(layout.TargetsDirectory);
            Directory.CreateDirectory(layout.StagedDirectory);
        });
        WriteAtomically(layout.SettingsFile, CanonicalJson.Serialize(settings.ToJson()));
        var repository = new TufRepository(layout, settings, clock ?? TimeProvider.System);
        var keys = new Dictionary<string, TufKey>(StringComparer.Ordinal);
        foreach (var key in roles.Values.SelectMany(r => r.Keys)) keys[key.KeyId] = key;
        repository.WriteStaged(new RootMetadata
        {
            Version = 1,
            Expires = repository.Now + settings.RootExpiry,
            ConsistentSnapshot = true,
            Keys = keys,
            Roles = roles.ToDictionary(r => r.Key, r => new RoleKeys([.. r.Value.Keys.Select(k => k.KeyId).Distinct()], r.Value.Threshold), StringComparer.Ordinal),
        });
        repository.WriteStaged(TargetsMetadata.RoleType, new TargetsMetadata
        {
            Version = 1,
            Expires = repository.Now + settings.TargetsExpiry,
            Targets = new Dictionary<string, TargetFile>(StringComparer.Ordinal),
        });
        return repository;
    }

    /// <summary>Opens an existing repository; <see cref="RepositoryException"/> if there is none at <paramref name="path"/>.</summary>
    public static TufRepository Open(string path, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var layout = new RepositoryLayout(path);
        if (!File.Exists(layout.SettingsFile)) throw new RepositoryException($"No Enigm release repository at {layout.Root} (run 'enigm release init').");
        RepositorySettings settings;
        try
        {
            settings = RepositorySettings.FromJson(CanonicalJson.ParseObject(ReadFile(layout.SettingsFile, 64 * 1024)));
        }
        catch (MalformedInputException e)
        {
            throw new RepositoryException($"{layout.SettingsFile} is corrupt: {e.Message}", e);
        }

        return new TufRepository(layout, settings, clock ?? TimeProvider.System);
    }

    /// <summary>The newest published root, or null before the first publish.</summary>
    public Metadata<RootMetadata>? PublishedRoot => ReadIfExists<RootMetadata>(Layout.Current(RootMetadata.RoleType));

    /// <summary>The newest published timestamp, or null before the first publish.</summary>
    public Metadata<TimestampMetadata>? PublishedTimestamp => ReadIfExists<TimestampMetadata>(Layout.Current(TimestampMetadata.RoleType));

    /// <summary>The snapshot the published timestamp names, or null before the first publish.</summary>
    public Metadata<SnapshotMetadata>? PublishedSnapshot => PublishedTimestamp is { } timestamp
        ? Read<SnapshotMetadata>(Layout.Versioned(SnapshotMetadata.RoleType, timestamp.Signed.SnapshotMeta.Version))
        : null;

    /// <summary>The root that governs the next publish: the staged one if any, else the published one.</summary>
    public RootMetadata CurrentRoot =>
        (StagedRoot ?? PublishedRoot ?? throw new RepositoryException("The repository has no root metadata.")).Signed;

    public Metadata<RootMetadata>? StagedRoot => ReadIfExists<RootMetadata>(Layout.Staged(RootMetadata.RoleType));

    /// <summary>Names of the roles with staged metadata (root, targets, delegated roles).</summary>
    public IReadOnlyList<string> StagedRoles => Directory.Exists(Layout.StagedDirectory)
        ? [.. Directory.EnumerateFiles(Layout.StagedDirectory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)]
        : [];

    /// <summary>The published version of a targets role as the published snapshot names it, or null.</summary>
    public Metadata<TargetsMetadata>? PublishedTargets(string role)
    {
        var snapshot = PublishedSnapshot;
        if (snapshot is null || !snapshot.Signed.Meta.TryGetValue(role + ".json", out var meta)) return null;
        return Read<TargetsMetadata>(Layout.Versioned(role, meta.Version));
    }

    public Metadata<TargetsMetadata>? StagedTargets(string role) => ReadIfExists<TargetsMetadata>(Layout.Staged(role));

    /// <summary>The staged version of a targets role if any, else the published one.</summary>
    public Metadata<TargetsMetadata>? CurrentTargets(string role) => StagedTargets(role) ?? PublishedTargets(role);

    private static void CheckThreshold(string role, int keyCount, int threshold)
    {
        if (threshold < 1) throw new RepositoryException($"Role {role}: threshold {threshold} is below 1.");
        if (keyCount < threshold) throw new RepositoryException($"Role {role}: threshold {threshold} but only {keyCount} key(s).");
    }

    private void WriteStaged(RootMetadata root) => WriteAtomically(Layout.Staged(RootMetadata.RoleType), Metadata<RootMetadata>.Create(root).ToBytes());

    private void WriteStaged(string role, TargetsMetadata targets) => WriteAtomically(Layout.Staged(role), Metadata<TargetsMetadata>.Create(targets).ToBytes());

    private static Metadata<T>? ReadIfExists<T>(string file)
        where T : RoleMetadata, IRoleMetadata<T> => File.Exists(file) ? Read<T>(file) : null;

    private static Metadata<T> Read<T>(string file)
        where T : RoleMetadata, IRoleMetadata<T>
    {
        try
        {
            return Metadata<T>.FromBytes(ReadFile(file, MaxMetadataBytes));
        }
        catch (MalformedInputException e)
        {
            throw new RepositoryException($"{file} is corrupt: {e.Message}", e);
        }
        catch (MetadataTypeMismatchException e)
        {
            throw new RepositoryException($"{file} holds the wrong role: {e.Message}", e);
        }
    }

    private static byte[] ReadFile(string file, int maxBytes)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists) throw new RepositoryException($"{file} is missing.");
            if (info.Length > maxBytes) throw new RepositoryException($"{file} is larger than {maxBytes} bytes.");
            return File.ReadAllBytes(file);
        }
        catch (IOException e)
        {
            throw new RepositoryException($"Cannot read {file}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new RepositoryException($"Cannot read {file}: {e.Message}", e);
        }
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a file.</summary>
    internal static void WriteAtomically(string file, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        FileIo($"write {file}", () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temporary = file + ".tmp";
            File.WriteAllBytes(temporary, copy);
            File.Move(temporary, file, overwrite: true);
        });
    }

    /// <summary>Runs file system work, turning an I/O or permission failure into a <see cref="RepositoryException"/> that says what failed.</summary>
    internal static void FileIo(string what, Action action) => FileIo(what, () =>
    {
        action();
        return true;
    });

    /// <summary><see cref="FileIo(string, Action)"/> for work with a result.</summary>
    internal static T FileIo<T>(string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepositoryException($"Cannot {what}: {e.Message}", e);
        }
    }
}
