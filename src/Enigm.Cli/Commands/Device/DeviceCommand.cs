using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client;

namespace Enigm.Cli.Commands.Device;

/// <summary>
/// <c>enigm device link|approve|list|revoke|prekeys</c>: the devices of your account, as its verified device log
/// lists them. Each subcommand with more than a few lines lives in its own file here.
/// </summary>
public static class DeviceCommand
{
    public static Command Build(CliContext cli)
    {
        var device = new Command("device", "Link, approve, list and revoke the devices of your account; rotate this device's prekeys.");
        device.Subcommands.Add(LinkCommand.Build(cli));
        device.Subcommands.Add(ApproveCommand.Build(cli));
        device.Subcommands.Add(List(cli));
        device.Subcommands.Add(Revoke(cli));
        device.Subcommands.Add(Prekeys(cli));
        return device.WithDeviceOptions(cli);
    }

    private static Command List(CliContext cli) => cli.Command(
        "list",
        "List your account's devices from its device log (refreshed from the relay and verified first).",
        parse =>
        {
            var n = cli.Narrator(parse);
            using var client = ClientSession.Open(cli, parse);
            var devices = ClientSession.Wait(client.ListDevicesAsync(ClientSession.Cancellation));
            n.Table(
                ["device", "name", "added", "state"],
                devices.Select(d => (IReadOnlyList<string>)[d.DeviceId, d.Name, d.AddedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), State(d)]));
            n.WriteJson(new JsonObject { ["account"] = client.Account, ["devices"] = new JsonArray([.. devices.Select(Json)]) });
            return ExitCodes.Ok;
        });

    private static Command Revoke(CliContext cli)
    {
        var id = new Argument<string>("id") { Description = "The device id ('enigm device list' shows it)." };
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the device log).", DefaultValueFactory = _ => "revoked by user" };
        return cli.Command(
            "revoke",
            "Revoke a device of your account: it gets nothing new and the relay refuses it from now on.",
            parse =>
            {
                var n = cli.Narrator(parse);
                using var client = ClientSession.Open(cli, parse);
                var revoked = ClientSession.Wait(client.RevokeDeviceAsync(parse.GetValue(id)!.Trim(), parse.GetValue(reason)!, ClientSession.Cancellation));
                n.Line($"  revoked: device {revoked.DeviceId} ({revoked.Name})");
                n.WriteJson(new JsonObject { ["account"] = client.Account, ["revoked"] = Json(revoked) });
                return ExitCodes.Ok;
            },
            id,
            reason);
    }

    private static Command Prekeys(CliContext cli)
    {
        var rotate = new Option<bool>("--rotate") { Description = "Rotate the signed prekey now (otherwise only when due)." };
        return cli.Command(
            "prekeys",
            "Replenish this device's one-time prekeys on the relay and rotate its signed prekey when due (or now with --rotate).",
            parse =>
            {
                var n = cli.Narrator(parse);
                using var client = ClientSession.Open(cli, parse);
                var status = ClientSession.Wait(client.MaintainPrekeysAsync(parse.GetValue(rotate), ClientSession.Cancellation));
                n.Line($"  one-time prekeys on the relay: {status.OneTimePrekeys} X25519, {status.OneTimeKemPrekeys} ML-KEM");
                n.Line($"  signed prekey {(status.SignedPrekeyRotated ? "rotated" : "kept")}; bundle {(status.Uploaded ? "uploaded" : "unchanged")}");
                n.WriteJson(new JsonObject
                {
                    ["oneTimePrekeys"] = status.OneTimePrekeys,
                    ["oneTimeKemPrekeys"] = status.OneTimeKemPrekeys,
                    ["uploaded"] = status.Uploaded,
                    ["signedPrekeyRotated"] = status.SignedPrekeyRotated,
                });
                return ExitCodes.Ok;
            },
            rotate);
    }

    private static string State(DeviceSummary d) =>
        d.Revoked ? $"revoked {d.RevokedAt:yyyy-MM-dd HH:mm}".TrimEnd() : d.IsThisDevice ? "this device" : "trusted";

    internal static JsonNode Json(DeviceSummary d) => new JsonObject
    {
        ["id"] = d.DeviceId,
        ["name"] = d.Name,
        ["keyFingerprint"] = d.KeyFingerprint,
        ["addedAt"] = d.AddedAt,
        ["thisDevice"] = d.IsThisDevice,
        ["revoked"] = d.Revoked,
        ["revokedAt"] = d.RevokedAt,
    };
}
