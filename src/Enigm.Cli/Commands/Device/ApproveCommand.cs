using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;

namespace Enigm.Cli.Commands.Device;

/// <summary>
/// <c>enigm device approve CODE</c>, on an existing device: opens the enrollment channel the new device's code names,
/// shows the short authentication string, asks whether the new device shows the same, and only then adds the new
/// device to the account's device log (co-signed by the new device) and uploads it.
/// </summary>
internal static class ApproveCommand
{
    public static Command Build(CliContext cli)
    {
        var code = new Argument<string>("code") { Description = "The link code 'enigm device link' shows on the new device (enigm-link1:…)." };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the new device at each step (default 120).", DefaultValueFactory = _ => 120 };
        var yes = new Option<bool>("--yes") { Description = "Do not ask whether the codes match (for scripts that compare them)." };
        return cli.Command(
            "approve",
            "Approve a new device's link code: compare the SAS both devices show, then add the device to your account.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var seconds = parse.GetValue(wait);
                if (seconds <= 0) throw new UsageException("--wait must be a positive number of seconds");
                var timeout = TimeSpan.FromSeconds(seconds);
                using var client = ClientSession.Open(cli, parse);
                using var approval = ClientSession.Wait(client.ApproveLinkAsync(parse.GetValue(code)!.Trim(), timeout, ClientSession.Cancellation));
                SasPrompt.ShowSas(cli, n, approval.Sas);
                var matches = SasPrompt.Confirm(cli, n, approval.Sas, parse.GetValue(yes));
                var added = ClientSession.Wait(approval.CompleteAsync(matches, timeout, ClientSession.Cancellation));
                n.Line($"  added: device {added.DeviceId} ({added.Name}) to account {client.Account}");
                n.WriteJson(new JsonObject
                {
                    ["account"] = client.Account,
                    ["device"] = added.DeviceId,
                    ["deviceName"] = added.Name,
                    ["sas"] = approval.Sas.Digits,
                });
                return ExitCodes.Ok;
            },
            code,
            wait,
            yes);
    }
}
