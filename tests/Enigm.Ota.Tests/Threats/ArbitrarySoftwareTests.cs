using Enigm.Ota.Errors;
using Enigm.Ota.Tests.Support;
using Xunit;

namespace Enigm.Ota.Tests.Threats;

/// <summary>Arbitrary software installation: an attacker serves a file of its choosing.</summary>
public sealed class ArbitrarySoftwareTests : ThreatTestBase
{
    [Fact]
    public void Rejects_a_replaced_artifact_with_a_hash_mismatch()
    {
        Repo.Publish();
        var updater = Repo.Updater();
        updater.Refresh();
        var evil = "malware 2.1.0 payload"u8.ToArray();
        Assert.Equal(Release.Length, evil.Length);
        Repo.Write(RepoWriter.TargetFileName("app.bin", Release), evil);

        var e = Assert.Throws<HashMismatchException>(() => updater.Download(updater.RequireTarget("app.bin"), Repo.OutDir));
        Assert.Equal("app.bin", e.Name);
        Assert.False(File.Exists(Path.Combine(Repo.OutDir, "app.bin")));
    }

    [Fact]
    public void Rejects_metadata_signed_by_an_attacker_key()
    {
        Repo.Keys.TimestampSigner = Repo.Keys.NewSigner();
        Repo.Publish();
        var e = Assert.Throws<ThresholdNotMetException>(() => Repo.Updater().Refresh());
        Assert.Equal("timestamp", e.Role);
    }
}
