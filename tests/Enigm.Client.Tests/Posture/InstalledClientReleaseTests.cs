using Enigm.Client.Posture;
using Enigm.Client.Tests.Support;
using Enigm.Crypto.Errors;
using Enigm.Trust.Policy;
using Xunit;

namespace Enigm.Client.Tests.Posture;

/// <summary>
/// A managed fleet updates its client through OTA (docs/policy.md, "Client version"): once a client release is
/// installed, the posture's client version is that release's, not the running assembly's, so an update installed
/// through the organisation's repository lifts a client-version restriction.
/// </summary>
public sealed class InstalledClientReleaseTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private EnigmClient _device = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _device = await _devices.CreateAsync("laptop", _relay.Url);
    }

    public async Task DisposeAsync()
    {
        _device.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public void Without_an_installed_release_the_posture_reports_the_running_assembly_version()
    {
        var assembly = typeof(EnigmClient).Assembly.GetName().Version!;

        var posture = _device.CurrentPosture();

        Assert.Null(_device.InstalledClientRelease());
        Assert.Equal($"{assembly.Major}.{assembly.Minor}.{Math.Max(0, assembly.Build)}", posture.ClientVersion);
        Assert.Equal("", posture.InstalledRelease);
    }

    [Fact]
    public void The_posture_reports_the_installed_client_release_as_client_version_and_installed_release()
    {
        var installedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());

        _device.RecordInstalledClientRelease("7.3.1", installedAt);
        var posture = _device.CurrentPosture();

        Assert.Equal("7.3.1", posture.ClientVersion);
        Assert.Equal("7.3.1", posture.InstalledRelease);
        Assert.Equal(installedAt, posture.LastOtaCheck);
        Assert.Equal(("7.3.1", installedAt), _device.InstalledClientRelease());
    }

    [Fact]
    public void A_later_install_replaces_the_earlier_one_and_an_explicit_fact_still_wins()
    {
        _device.RecordInstalledClientRelease("2.0.3", DateTimeOffset.UtcNow.AddDays(-40));
        _device.RecordInstalledClientRelease("2.1.0", DateTimeOffset.UtcNow);

        Assert.Equal("2.1.0", _device.CurrentPosture().ClientVersion);
        Assert.Equal("9.9.9", _device.CurrentPosture(new PostureFacts { ClientVersion = "9.9.9" }).ClientVersion);
    }

    [Fact]
    public void The_installed_release_survives_reopening_the_device()
    {
        _device.RecordInstalledClientRelease("2.1.0", DateTimeOffset.UtcNow);
        _device.Dispose();

        _device = _devices.Open("laptop");

        Assert.Equal("2.1.0", _device.CurrentPosture().ClientVersion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2..1")]
    [InlineData("2.1.0-beta")]
    [InlineData("v2.1.0")]
    [InlineData("2.1.0\n")]
    [InlineData("1234567890.1")]
    [InlineData("1.2.3.4.5.6.7.8.9")]
    public void Rejects_an_installed_release_that_is_not_a_dotted_version_and_keeps_the_previous_one(string version)
    {
        _device.RecordInstalledClientRelease("2.0.3", DateTimeOffset.UtcNow);

        Assert.Throws<MalformedInputException>(() => _device.RecordInstalledClientRelease(version, DateTimeOffset.UtcNow));

        Assert.Equal("2.0.3", _device.CurrentPosture().ClientVersion);
        Assert.Equal("2.0.3", _device.CurrentPosture().InstalledRelease);
    }

    [Fact]
    public async Task Installing_the_minimum_client_release_lifts_the_client_version_restriction()
    {
        using var organisation = new OrgKit(_relay.AdminUrl, File.ReadAllText(_relay.Server.AdminCredentialPath!));
        await organisation.RegisterAsync();
        await organisation.SetPolicyAsync(1, "2.1.0");
        using var bob = await _devices.CreateAsync("bob", _relay.Url);
        await _device.AddContactAsync("bob", bob.Account);
        _device.RecordInstalledClientRelease("2.0.3", DateTimeOffset.UtcNow.AddDays(-40));

        var before = await _device.PublishPostureAsync();
        // The device refuses itself, before the relay would (docs/policy.md, "The device's own check").
        var refused = await Assert.ThrowsAsync<DeviceRestrictedException>(() => _device.SendTextAsync("bob", "blocked"));
        _device.RecordInstalledClientRelease("2.1.0", DateTimeOffset.UtcNow);
        var after = await _device.PublishPostureAsync();

        Assert.Equal("restricted", before.State);
        Assert.Contains(before.Reasons, r => r.Code == "client-version" && r.Text == "client 2.0.3 is below the minimum 2.1.0");
        Assert.Contains("client 2.0.3 is below the minimum 2.1.0", refused.Message, StringComparison.Ordinal);
        Assert.Equal("compliant", after.State);
        await _device.SendTextAsync("bob", "updated through OTA");
    }
}
