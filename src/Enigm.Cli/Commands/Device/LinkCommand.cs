using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Device;

/// <summary>
/// <c>enigm device link --server URL</c>, on the new device: shows a link code for an existing device of the account
/// (<c>enigm device approve CODE</c>), then the short authentication string both devices show, asks whether they
/// match, and completes the enrollment over the relay's rendezvous channel (Enigm.Trust enrollment,
/// docs/trust-verification.md). Nothing is written to the home unless the link completes.
/// </summary>
internal static class LinkCommand
{
    public static Command Build(CliContext cli)
    {
        var deviceName = new Option<string>("--device-name") { Description = "This device's name in the account's device log (default: the host name).", DefaultValueFactory = _ => InitCommand.DefaultDeviceName() };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the existing device (default: until the code expires).", DefaultValueFactory = _ => 0 };
        var yes = new Option<bool>("--yes") { Description = "Do not ask whether the codes match (for scripts that compare them)." };
        var store = ClientSession.NewStoreOptions();
        return cli.Command(
            "link",
            "Link this new device to your account: shows a code for 'enigm device approve', then the SAS to compare.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var options = ClientSession.Options(cli, parse, serverRequired: true);
                var protector = ClientSession.CreateProtector(parse, store);
                var seconds = parse.GetValue(wait);
                if (seconds < 0) throw new UsageException("--wait must be 0 (until the code expires) or a number of seconds");
                TimeSpan? timeout = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
                var name = parse.GetValue(deviceName)!;
                if (string.IsNullOrWhiteSpace(name)) throw new UsageException("--device-name must not be empty");

                using var pending = ClientSession.Wait(EnigmClient.StartLinkAsync(options, name.Trim(), protector, ClientSession.Cancellation));
                SasPrompt.Show(cli, n, $"link code: {pending.LinkCode}");
                SasPrompt.Show(cli, n, $"On a device of your account run: enigm device approve CODE   (the code expires {pending.ExpiresAt:HH:mm:ss} UTC)");
                var sas = ClientSession.Wait(pending.WaitForSasAsync(timeout, ClientSession.Cancellation));
                SasPrompt.ShowSas(cli, n, sas);
                var matches = SasPrompt.Confirm(cli, n, sas, parse.GetValue(yes));
                using var client = ClientSession.Wait(pending.CompleteAsync(matches, timeout, ClientSession.Cancellation));
                n.Line($"  linked: device {client.DeviceId} ({client.DeviceName}) of account {client.Account}");
                n.WriteJson(new JsonObject
                {
                    ["account"] = client.Account,
                    ["device"] = client.DeviceId,
                    ["deviceName"] = client.DeviceName,
                    ["sas"] = sas.Digits,
                    ["server"] = client.Server.ToString(),
                });
                return ExitCodes.Ok;
            },
            [deviceName, wait, yes, .. store.All]);
    }
}
