using System.Text.Json.Nodes;
using Enigm.Center.Tests.Support;
using Enigm.Cli;
using Enigm.Cli.Output;

namespace Enigm.Center.Tests.Cli;

/// <summary>
/// <c>enigm org pin FINGERPRINT</c> on a device (docs/policy.md, "CLI"): pins the organisation key out of band; the
/// right fingerprint lets the device meet its organisation, another one makes the relay's key an error (exit 122).
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class OrgPinCommandTests(CenterWorld world)
{
    [Fact]
    public void Help_describes_the_fingerprint_argument()
    {
        var (code, output, _) = Run("org", "pin", "--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("fingerprint", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--home", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinning_the_organisations_fingerprint_lets_the_device_meet_it()
    {
        var home = await DeviceHomeAsync("pin-right");
        var fingerprint = world.Organisation.Fingerprint;

        var (code, output, error) = Run("org", "pin", "--home", home, "sha256:" + fingerprint.ToUpperInvariant(), "--json");
        var (showCode, show, showError) = Run("posture", "show", "--home", home, "--json");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Equal(fingerprint, JsonNode.Parse(output)!["fingerprint"]!.GetValue<string>());
        Assert.True(showCode == ExitCodes.Ok, showError);
        Assert.Equal(world.Organisation.Organisation, JsonNode.Parse(show)!["organisation"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_relay_serving_another_key_than_the_pinned_fingerprint_is_exit_122()
    {
        _ = world.Organisation; // the relay has an organisation key
        var home = await DeviceHomeAsync("pin-wrong");

        var (code, _, _) = Run("org", "pin", "--home", home, new string('a', 64));
        var (showCode, _, showError) = Run("posture", "show", "--home", home);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(ExitCodes.OrganisationKey, showCode);
        Assert.Contains("not the one pinned out of band", showError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_fingerprint_is_a_usage_error()
    {
        var home = await DeviceHomeAsync("pin-malformed");

        var (code, _, error) = Run("org", "pin", "--home", home, "org-0123456789abcdef");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("64 hex digits", error, StringComparison.Ordinal);
    }

    private async Task<string> DeviceHomeAsync(string name)
    {
        var device = await world.Devices.CreateAsync(name, world.Relay.Url);
        device.Dispose();
        return world.Devices.Home(name);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", TestDevices.Passphrase);
        try
        {
            var code = Program.Run(args, output, error);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", null);
        }
    }
}
