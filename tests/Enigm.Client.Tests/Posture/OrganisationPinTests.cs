using Enigm.Client.Tests.Support;
using Enigm.Trust.Policy;
using Xunit;

namespace Enigm.Client.Tests.Posture;

/// <summary>
/// Pinning the organisation key out of band (docs/policy.md): a device given the key's fingerprint before first use
/// refuses a relay that serves another key, accepts the right one, and without a pin trusts the first key it sees.
/// </summary>
public sealed class OrganisationPinTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private TestRelay _relay = null!;
    private OrgKit _org = null!;
    private EnigmClient _device = null!;

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _org = new OrgKit(_relay.AdminUrl, File.ReadAllText(_relay.Server.AdminCredentialPath!));
        await _org.RegisterAsync();
        await _org.SetPolicyAsync(1, "1.0.0");
        _device = await _devices.CreateAsync("device", _relay.Url);
    }

    public async Task DisposeAsync()
    {
        _device.Dispose();
        _org.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
    }

    [Fact]
    public async Task A_device_pinned_to_another_fingerprint_refuses_the_relays_organisation_key_and_does_not_send()
    {
        using var other = new OrgKit(_relay.AdminUrl, "unused");
        _device.PinOrganisationFingerprint(other.Organisation.Fingerprint);

        var e = await Assert.ThrowsAsync<OrganisationKeyException>(() => _device.CheckOrganisationAsync());
        Assert.Contains(_org.Organisation.Fingerprint, e.Message, StringComparison.Ordinal);
        Assert.Contains(other.Organisation.Fingerprint, e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<OrganisationKeyException>(() => _device.OwnComplianceAsync());
        await Assert.ThrowsAsync<OrganisationKeyException>(() => _device.OwnComplianceAsync()); // every time, not once per discovery interval
    }

    [Fact]
    public async Task A_device_pinned_to_the_right_fingerprint_accepts_the_organisation()
    {
        _device.PinOrganisationFingerprint(string.Join(':', _org.Organisation.Fingerprint.ToUpperInvariant().Chunk(4).Select(c => new string(c))));

        var status = await _device.CheckOrganisationAsync();

        Assert.Equal(_org.Organisation.Id, status.Organisation);
        _device.PinOrganisationFingerprint(_org.Organisation.Fingerprint); // the same again changes nothing
    }

    [Fact]
    public async Task Without_a_pin_the_first_key_served_is_trusted_and_a_later_other_fingerprint_is_refused()
    {
        Assert.Equal(_org.Organisation.Id, (await _device.CheckOrganisationAsync()).Organisation);

        using var other = new OrgKit(_relay.AdminUrl, "unused");
        Assert.Throws<OrganisationKeyException>(() => _device.PinOrganisationFingerprint(other.Organisation.Fingerprint));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not hex at all")]
    [InlineData("0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefff")]
    public void Rejects_a_malformed_fingerprint(string fingerprint) =>
        Assert.Throws<OrganisationKeyException>(() => _device.PinOrganisationFingerprint(fingerprint));
}
