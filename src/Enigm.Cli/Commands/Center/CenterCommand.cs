using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Enigm.Center;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Center;

/// <summary>
/// <c>enigm center [--home DIR] [--server URL] [--port N] [--no-open] [--json]</c>: serves this device's Trust
/// Security Center (src/Enigm.Center, docs/trust-center.md) on 127.0.0.1 until Ctrl-C or SIGTERM. Prints the address
/// with the one-time token (it works once, then the browser holds the session cookie) and, unless --no-open, asks the
/// desktop to open it. The page's actions are the SDK calls the other device commands make.
/// </summary>
public static class CenterCommand
{
    public static Command Build(CliContext cli)
    {
        var port = new Option<int>("--port") { Description = "Loopback port (default: a free one).", DefaultValueFactory = _ => 0 };
        var noOpen = new Option<bool>("--no-open") { Description = "Only print the address; do not open a browser." };
        var command = cli.Command(
            "center",
            "Serve this device's Trust Security Center on 127.0.0.1 (devices, contacts, safety numbers, pending actions) until Ctrl-C.",
            parse => Run(cli, parse, parse.GetValue(port), parse.GetValue(noOpen)),
            port,
            noOpen);
        return command.WithDeviceOptions(cli);
    }

    private static int Run(CliContext cli, ParseResult parse, int port, bool noOpen)
    {
        if (port is < 0 or > 65535) throw new UsageException($"--port {port} is not a TCP port");
        var n = cli.Narrator(parse);
        using var interrupt = new Interrupt();
        using var client = ClientSession.Open(cli, parse);
        var options = new CenterOptions { Home = ClientSession.Options(cli, parse).Home, Port = port };
        var host = ClientSession.Wait(CenterHost.StartAsync(client, options, interrupt.Token));
        n.Line($"  Trust Security Center of {client.DeviceName} ({client.DeviceId[..Math.Min(16, client.DeviceId.Length)]}…)");
        n.Line($"  open (works once): {host.OpenUrl}");
        n.Line("  Ctrl+C stops");
        n.WriteJson(new JsonObject { ["url"] = host.OpenUrl.ToString(), ["port"] = host.Port, ["device"] = client.DeviceId });
        cli.Output.Flush();
        if (!noOpen) TryOpenBrowser(host.OpenUrl);
        host.RunUntilCancelledAsync(interrupt.Token).GetAwaiter().GetResult();
        return ExitCodes.Ok;
    }

    /// <summary>Hands the address to the desktop's opener (xdg-open); without one the printed address is enough.</summary>
    private static void TryOpenBrowser(Uri url)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("xdg-open") { ArgumentList = { url.ToString() }, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true });
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No desktop here: the user opens the printed address.
        }
    }
}
