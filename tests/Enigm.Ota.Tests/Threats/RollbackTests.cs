using Enigm.Ota.Errors;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>Rollback attack: an attacker serves older metadata than the device already trusts, across restarts.</summary>
public sealed class RollbackTests : ThreatTestBase
{
    [Fact]
    public void Rejects_an_older_timestamp_after_a_restart()
    {
        Repo.Publish();
        var old = File.ReadAllBytes(Repo.PathOf("timestamp.json"));
        Repo.Publish();
        Repo.Updater().Refresh();

        Repo.Write("timestamp.json", old);
        // A fresh updater (a restarted device) reads the floor from its state folder.
        var e = Assert.Throws<RollbackAttackException>(() => Repo.Updater().Refresh());
        Assert.Equal("timestamp", e.Role);
        Assert.Equal(2, e.TrustedVersion);
        Assert.Equal(1, e.NewVersion);
    }

    [Fact]
    public void Rejects_an_older_root_offered_as_the_next_one()
    {
        Repo.WriteRoot(Repo.Keys.Root(2), Repo.Keys.RootSigners[0], Repo.Keys.RootSigners[1]);
        Repo.Publish();
        Repo.Updater().Refresh();
        // The attacker serves root version 1 under the name of version 3.
        Repo.Write("3.root.json", Repo.RootBytes(1));
        var e = Assert.Throws<RollbackAttackException>(() => Repo.Updater().Refresh());
        Assert.Equal("root", e.Role);
    }
}
