using Enigm.Ota.Errors;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>Mix-and-match: an attacker combines metadata from different repository states.</summary>
public sealed class MixAndMatchTests : ThreatTestBase
{
    [Fact]
    public void Rejects_targets_of_another_version_than_the_snapshot_names()
    {
        Repo.MetaHashes = false; // versions only, so the version check itself is what catches it
        Repo.Publish();
        var old = File.ReadAllBytes(Repo.PathOf("1.targets.json"));
        Repo.Publish();
        Repo.Write("2.targets.json", old);

        var e = Assert.Throws<MixAndMatchException>(() => Repo.Updater().Refresh());
        Assert.Equal("targets", e.Role);
    }

    [Fact]
    public void Rejects_a_snapshot_of_another_version_than_the_timestamp_names()
    {
        Repo.MetaHashes = false;
        Repo.Publish();
        var old = File.ReadAllBytes(Repo.PathOf("1.snapshot.json"));
        Repo.Publish();
        Repo.Write("2.snapshot.json", old);

        var e = Assert.Throws<MixAndMatchException>(() => Repo.Updater().Refresh());
        Assert.Equal("snapshot", e.Role);
    }

    [Fact]
    public void Rejects_targets_whose_hash_differs_from_the_snapshot()
    {
        Repo.Publish();
        var old = File.ReadAllBytes(Repo.PathOf("1.targets.json"));
        Repo.Publish();
        Repo.Write("2.targets.json", old);
        Assert.Throws<HashMismatchException>(() => Repo.Updater().Refresh());
    }
}
