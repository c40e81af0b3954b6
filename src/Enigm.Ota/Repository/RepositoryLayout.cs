namespace Enigm.Ota.Repository;

/// <summary>
/// Where a repository keeps its files. What clients fetch is under <see cref="MetadataDirectory"/> and
/// <see cref="TargetsDirectory"/>, laid out for consistent snapshots (TUF 5.3.2, 5.5, 5.6, 5.7.3):
/// <code>
/// metadata/1.root.json, 2.root.json …   every root version (clients walk the chain)
/// metadata/root.json                    the newest root, for first-time clients
/// metadata/N.targets.json, N.ROLE.json  targets and delegated targets roles, by version
/// metadata/N.snapshot.json              snapshot, by version
/// metadata/timestamp.json               the only unversioned file a client fetches
/// targets/DIR/HASH.NAME                 target files named by their sha256 and sha512 hex
/// </code>
/// The signing side's work in progress lives beside them and is never served: <c>staged/ROLE.json</c>
/// (metadata awaiting signatures) and <c>repository.json</c> (settings).
/// </summary>
public sealed class RepositoryLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string MetadataDirectory => Path.Combine(Root, "metadata");

    public string TargetsDirectory => Path.Combine(Root, "targets");

    public string StagedDirectory => Path.Combine(Root, "staged");

    public string SettingsFile => Path.Combine(Root, "repository.json");

    /// <summary>TUF 5.3.3 / 5.6.1: <c>VERSION.ROLE.json</c>.</summary>
    public string Versioned(string role, long version) => Path.Combine(MetadataDirectory, $"{version}.{role}.json");

    /// <summary>The unversioned copy (<c>root.json</c>, <c>timestamp.json</c>).</summary>
    public string Current(string role) => Path.Combine(MetadataDirectory, $"{role}.json");

    public string Staged(string role) => Path.Combine(StagedDirectory, $"{role}.json");

    /// <summary>TUF 5.7.3: a target <c>DIR/NAME</c> is stored as <c>DIR/HASH.NAME</c>.</summary>
    public string TargetFile(string targetPath, string hashHex)
    {
        var slash = targetPath.LastIndexOf('/');
        var directory = slash < 0 ? "" : targetPath[..slash];
        var name = targetPath[(slash + 1)..];
        return Path.Combine(TargetsDirectory, directory.Replace('/', Path.DirectorySeparatorChar), $"{hashHex}.{name}");
    }
}
