using System.Security.Cryptography;
using Enigm.Ota.Client;
using Enigm.Ota.Metadata;

namespace Enigm.Ota.Tests.Support;

/// <summary>
/// Writes a complete consistent-snapshot TUF repository to a temporary folder (N.root.json,
/// timestamp.json, N.snapshot.json, N.targets.json, N.ROLE.json, HASH.FILE targets) and gives
/// updaters over it with their own state folder, so tests can publish, tamper and re-run.
/// </summary>
internal sealed class RepoWriter : IDisposable
{
    public RepoWriter()
    {
        Folder = Directory.CreateTempSubdirectory("enigm-repo-").FullName;
        RepoDir = Directory.CreateDirectory(Path.Combine(Folder, "repo")).FullName;
        StateDir = Path.Combine(Folder, "state");
        OutDir = Path.Combine(Folder, "out");
        WriteRoot(Keys.Root(1), Keys.RootSigners[0], Keys.RootSigners[1]);
    }

    public TestRepository Keys { get; } = new();

    public string Folder { get; }

    public string RepoDir { get; }

    public string StateDir { get; }

    public string OutDir { get; }

    /// <summary>Target path → (content, custom) of the top-level targets role.</summary>
    public Dictionary<string, (byte[] Data, JsonObjectValue? Custom)> Targets { get; } = new(StringComparer.Ordinal);

    /// <summary>Delegated roles, in priority order, with their signer and targets.</summary>
    public List<(DelegatedRole Role, TufSigner Signer, Dictionary<string, byte[]> Targets)> Delegated { get; } = [];

    public long TimestampVersion { get; set; }

    public long SnapshotVersion { get; set; }

    public long TargetsVersion { get; set; }

    public DateTimeOffset TimestampExpires { get; set; } = TestKeys.FarFuture;

    /// <summary>When false, snapshot and timestamp give versions only (no length or hashes).</summary>
    public bool MetaHashes { get; set; } = true;

    public byte[] RootBytes(long version) => File.ReadAllBytes(Path.Combine(RepoDir, $"{version}.root.json"));

    public byte[] WriteRoot(RootMetadata root, params TufSigner[] signers)
    {
        var bytes = TestRepository.Sign(root, signers);
        File.WriteAllBytes(Path.Combine(RepoDir, $"{root.Version}.root.json"), bytes);
        return bytes;
    }

    public void AddTarget(string path, byte[] data, JsonObjectValue? custom = null) => Targets[path] = (data, custom);

    /// <summary>Publishes new targets (and delegated roles), snapshot and timestamp versions.</summary>
    public void Publish()
    {
        TargetsVersion++;
        SnapshotVersion++;
        TimestampVersion++;
        var meta = new Dictionary<string, MetaFile>();
        Delegations? delegations = null;
        if (Delegated.Count > 0)
        {
            delegations = new Delegations
            {
                Keys = Delegated.GroupBy(d => d.Signer.KeyId).ToDictionary(g => g.Key, g => g.First().Signer.Key),
                Roles = [.. Delegated.Select(d => d.Role)],
            };
            foreach (var (role, signer, targets) in Delegated)
            {
                var bytes = TestRepository.Sign(TargetsOf(targets.ToDictionary(t => t.Key, t => (t.Value, (JsonObjectValue?)null)), null), signer);
                meta[role.Name + ".json"] = Meta(TargetsVersion, bytes);
                Write($"{TargetsVersion}.{role.Name}.json", bytes);
                foreach (var (path, data) in targets) WriteTargetFile(path, data);
            }
        }

        var targetsBytes = TestRepository.Sign(TargetsOf(Targets, delegations), Keys.TargetsSigner);
        Write($"{TargetsVersion}.targets.json", targetsBytes);
        foreach (var (path, (data, _)) in Targets) WriteTargetFile(path, data);
        meta["targets.json"] = Meta(TargetsVersion, targetsBytes);

        var snapshot = Keys.Snapshot(SnapshotVersion, meta);
        Write($"{SnapshotVersion}.snapshot.json", snapshot);
        Write("timestamp.json", Keys.Timestamp(TimestampVersion, SnapshotVersion, MetaHashes ? snapshot : null, TimestampExpires));
    }

    /// <summary>An updater over the folder, its state bootstrapped with root version 1.</summary>
    public Updater Updater(IRepositoryFetcher? fetcher = null)
    {
        var store = new TrustedMetadataStore(StateDir);
        if (!store.HasRoot) store.Save("root", RootBytes(1));
        return new Updater(fetcher ?? new DirectoryFetcher(RepoDir), store);
    }

    public string PathOf(string repoRelative) => Path.Combine(RepoDir, repoRelative);

    public void Write(string repoRelative, byte[] bytes)
    {
        var full = PathOf(repoRelative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    /// <summary>Where a target is published (TUF 5.7.3 consistent snapshot: DIR/SHA256.FILE).</summary>
    public static string TargetFileName(string path, byte[] data)
    {
        var slash = path.LastIndexOf('/');
        var hash = Convert.ToHexStringLower(SHA256.HashData(data));
        return slash < 0 ? $"{hash}.{path}" : $"{path[..(slash + 1)]}{hash}.{path[(slash + 1)..]}";
    }

    public void Dispose()
    {
        Keys.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Temporary folder; leftovers are harmless.
        }
    }

    private MetaFile Meta(long version, byte[] bytes) => MetaHashes ? TestRepository.MetaOf(version, bytes) : new MetaFile(version);

    private void WriteTargetFile(string path, byte[] data) => Write(TargetFileName(path, data), data);

    public static TargetFile FileOf(byte[] data, JsonObjectValue? custom = null) => new(data.Length, new Dictionary<string, string>
    {
        ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
        ["sha512"] = Convert.ToHexStringLower(SHA512.HashData(data)),
    }, custom);

    private TargetsMetadata TargetsOf(IReadOnlyDictionary<string, (byte[] Data, JsonObjectValue? Custom)> targets, Delegations? delegations) => new()
    {
        Version = TargetsVersion,
        Expires = TestKeys.FarFuture,
        Targets = targets.ToDictionary(t => t.Key, t => FileOf(t.Value.Data, t.Value.Custom)),
        Delegations = delegations,
    };
}
