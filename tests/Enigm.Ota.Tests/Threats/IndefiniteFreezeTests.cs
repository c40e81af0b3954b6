using Enigm.Ota.Errors;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>Indefinite freeze: an attacker keeps serving the same, once valid, metadata forever.</summary>
public sealed class IndefiniteFreezeTests : ThreatTestBase
{
    [Fact]
    public void Rejects_a_frozen_timestamp_once_it_expired()
    {
        Repo.TimestampExpires = DateTimeOffset.UtcNow.AddDays(1);
        Repo.Publish();
        Repo.Updater().Refresh();

        // The same files, a week later.
        var e = Assert.Throws<MetadataExpiredException>(() => Repo.Updater().Refresh(DateTimeOffset.UtcNow.AddDays(7)));
        Assert.Equal("timestamp", e.Role);
    }

    [Fact]
    public void Rejects_an_expired_root()
    {
        Repo.WriteRoot(Repo.Keys.Root(2, DateTimeOffset.UtcNow.AddDays(-1)), Repo.Keys.RootSigners[0], Repo.Keys.RootSigners[1]);
        Repo.Publish();
        var e = Assert.Throws<MetadataExpiredException>(() => Repo.Updater().Refresh());
        Assert.Equal("root", e.Role);
    }
}
