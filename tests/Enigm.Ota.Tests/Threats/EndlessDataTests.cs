using Enigm.Ota.Client;
using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>Endless data: an attacker sends more bytes than any trusted length (see also the HTTP fetcher tests).</summary>
public sealed class EndlessDataTests : ThreatTestBase
{
    [Fact]
    public void Stops_reading_a_timestamp_past_its_default_maximum()
    {
        Repo.Publish();
        Repo.Write("timestamp.json", new byte[TrustedMetadataSet.MaxTimestampBytes + 1]);
        var e = Assert.Throws<LengthExceededException>(() => Repo.Updater().Refresh());
        Assert.Equal("timestamp.json", e.Name);
    }

    [Fact]
    public void Stops_reading_an_artifact_past_its_trusted_length()
    {
        Repo.Publish();
        var updater = Repo.Updater();
        updater.Refresh();
        Repo.Write(RepoWriter.TargetFileName("app.bin", Release), [.. Release, .. new byte[5 * 1024 * 1024]]);
        Assert.Throws<LengthExceededException>(() => updater.Download(updater.RequireTarget("app.bin"), Repo.OutDir));
        Assert.Empty(Directory.GetFiles(Repo.OutDir));
    }

    [Fact]
    public void Stops_reading_a_snapshot_longer_than_the_timestamp_says()
    {
        Repo.Publish();
        var snapshot = File.ReadAllBytes(Repo.PathOf("1.snapshot.json"));
        Repo.Write("1.snapshot.json", [.. snapshot, .. new byte[1024]]);
        var e = Assert.Throws<LengthExceededException>(() => Repo.Updater().Refresh());
        Assert.Equal("1.snapshot.json", e.Name);
    }
}
