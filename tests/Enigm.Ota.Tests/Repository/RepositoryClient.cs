using Enigm.Ota.Client;
using Enigm.Ota.Metadata;
using Enigm.Ota.Repository;

namespace Enigm.Ota.Tests.Repository;

/// <summary>
/// Reads a published repository the way a client does (TUF 5.3–5.6, consistent snapshots): walks the
/// root chain from a trusted root, then timestamp.json, N.snapshot.json, N.targets.json and each
/// delegated role, feeding every file to <see cref="TrustedMetadataSet"/>.
/// </summary>
internal static class RepositoryClient
{
    public static TrustedMetadataSet Refresh(RepositoryLayout layout, byte[] trustedRoot, DateTimeOffset? now = null)
    {
        var set = new TrustedMetadataSet(trustedRoot, now ?? DateTimeOffset.UtcNow);
        while (File.Exists(layout.Versioned("root", set.Root.Signed.Version + 1)))
            set.UpdateRoot(File.ReadAllBytes(layout.Versioned("root", set.Root.Signed.Version + 1)));
        set.CheckRootNotExpired();
        var timestamp = set.UpdateTimestamp(File.ReadAllBytes(layout.Current("timestamp")));
        var snapshot = set.UpdateSnapshot(File.ReadAllBytes(layout.Versioned("snapshot", timestamp.Signed.SnapshotMeta.Version)));
        var targets = set.UpdateTargets(File.ReadAllBytes(layout.Versioned("targets", snapshot.Signed.Meta["targets.json"].Version)));
        foreach (var role in targets.Signed.Delegations?.Roles ?? [])
            set.UpdateDelegatedTargets(File.ReadAllBytes(layout.Versioned(role.Name, snapshot.Signed.Meta[role.Name + ".json"].Version)), role.Name, "targets");
        return set;
    }

    /// <summary>Version 1 of root, as a device would have it provisioned.</summary>
    public static byte[] FirstRoot(RepositoryLayout layout) => File.ReadAllBytes(layout.Versioned("root", 1));
}
