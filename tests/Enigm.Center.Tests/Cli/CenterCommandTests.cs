using System.Net;
using System.Net.Sockets;
using Enigm.Center.Tests.Support;
using Enigm.Cli;
using Enigm.Cli.Output;

namespace Enigm.Center.Tests.Cli;

/// <summary><c>enigm center</c>'s failures: each a documented exit code with one line on stderr, never exit 70.</summary>
[Collection(CenterCollection.Name)]
public sealed class CenterCommandTests(CenterWorld world)
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_port_outside_the_tcp_range_is_a_usage_error()
    {
        var (code, _, error) = Run("center", "--home", world.Devices.Home("nobody"), "--port", "70000", "--no-open");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--port", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_home_without_a_device_is_exit_95()
    {
        var (code, _, error) = Run("center", "--home", world.Devices.Home("nobody"), "--no-open");

        Assert.Equal(ExitCodes.ClientState, code);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_port_already_taken_is_exit_123()
    {
        using var device = await world.Devices.CreateAsync("cli-user", world.Relay.Url);
        device.Dispose();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", TestDevices.Passphrase);
        try
        {
            var (code, _, error) = Run("center", "--home", world.Devices.Home("cli-user"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-open");

            Assert.Equal(ExitCodes.CenterStart, code);
            Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", null);
        }
    }
}
