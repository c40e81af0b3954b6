using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Account;

/// <summary>
/// <c>enigm init --name NAME --server URL</c>: creates an account with this device as its first device (key store in
/// <c>--home</c>, device-log genesis uploaded to the relay, prekeys published) and prints the account id to share
/// with contacts. The relay URL is remembered in the device's state.
/// </summary>
public static class InitCommand
{
    public static Command Build(CliContext cli)
    {
        var name = new Option<string>("--name") { Description = "Your name; this device is called 'NAME's DEVICE-NAME' in your device log.", Required = true };
        var deviceName = new Option<string>("--device-name") { Description = "This device's name (default: the host name).", DefaultValueFactory = _ => DefaultDeviceName() };
        var store = ClientSession.NewStoreOptions();
        var command = cli.Command(
            "init",
            "Create your account with this device as its first device, on the relay given by --server (remembered).",
            parse =>
            {
                var n = cli.Narrator(parse);
                var options = ClientSession.Options(cli, parse, serverRequired: true);
                var label = DeviceLabel(parse.GetValue(name)!, parse.GetValue(deviceName)!);
                var protector = ClientSession.CreateProtector(parse, store);
                n.Step($"creating the account on {options.Server} (device key, device-log genesis, prekeys)…");
                using var client = ClientSession.Wait(EnigmClient.CreateAccountAsync(options, label, protector, ClientSession.Cancellation));
                n.Line($"  account  {client.Account}");
                n.Line($"  device   {client.DeviceId} ({client.DeviceName})");
                n.Line($"  relay    {client.Server}");
                n.Line("Share the account id with your contacts: they add you with 'enigm contact add NAME --account ID'.");
                n.WriteJson(new JsonObject
                {
                    ["account"] = client.Account,
                    ["device"] = client.DeviceId,
                    ["deviceName"] = client.DeviceName,
                    ["server"] = client.Server.ToString(),
                    ["home"] = options.Home,
                });
                return ExitCodes.Ok;
            },
            [name, deviceName, .. store.All]);
        return command.WithDeviceOptions(cli);
    }

    /// <summary>The device-log name: "alice's laptop" (the log limits it to 64 UTF-8 bytes; the client checks).</summary>
    internal static string DeviceLabel(string name, string device)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new UsageException("--name must not be empty");
        if (string.IsNullOrWhiteSpace(device)) throw new UsageException("--device-name must not be empty");
        return $"{name.Trim()}'s {device.Trim()}";
    }

    internal static string DefaultDeviceName()
    {
        var host = Environment.MachineName;
        return string.IsNullOrWhiteSpace(host) ? "device" : host.ToLowerInvariant();
    }
}
