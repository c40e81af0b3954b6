using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Trust.States;

namespace Enigm.Cli.Commands.Trust;

/// <summary>
/// <c>enigm trust status</c>: the trust-state review of this device (Enigm.Trust.States.TrustReview): every contact
/// account and every device with its state and since when, key ages, and what the policy asks you to do (verify a
/// new contact, re-verify a changed one, review a revocation, rotate an old key). Read-only, no network.
/// </summary>
public static class StatusCommand
{
    public static Command Build(CliContext cli)
    {
        var command = cli.Command(
            "status",
            "Review trust: your contacts and devices with their states, and what needs doing (this device's view).",
            parse =>
            {
                var n = cli.Narrator(parse);
                using var client = ClientSession.Open(cli, parse);
                var report = client.TrustReview();
                Print(n, client.Account, client.DeviceId, report);
                n.WriteJson(Json(client.Account, client.DeviceId, report));
                return ExitCodes.Ok;
            });
        return command.WithDeviceOptions(cli);
    }

    /// <summary>The review as a table (also printed by the demo).</summary>
    public static void Print(Narrator n, string account, string device, TrustReviewReport report)
    {
        n.Line($"  account {account}, this device {device}");
        n.Table(
            ["contact", "account", "state", "since"],
            report.Accounts.Select(a => (IReadOnlyList<string>)[a.Contact, Short(a.Fingerprint), State(a.State), Date(a.Since)]));
        n.Table(
            ["device", "account", "whose", "state", "key age"],
            report.Devices.Select(d => (IReadOnlyList<string>)[Short(d.DeviceId), Short(d.Account), d.IsOwnDevice ? "own" : "contact", State(d.State), Age(d.KeyAge)]));
        if (report.PendingActions.Count == 0) n.Line("  nothing to do");
        foreach (var action in report.PendingActions) n.Line($"  to do: {action.Detail}");
    }

    public static JsonObject Json(string account, string device, TrustReviewReport report) => new()
    {
        ["account"] = account,
        ["device"] = device,
        ["at"] = report.At,
        ["contacts"] = new JsonArray([.. report.Accounts.Select(a => (JsonNode)new JsonObject
        {
            ["contact"] = a.Contact,
            ["account"] = a.Fingerprint,
            ["state"] = State(a.State),
            ["since"] = a.Since,
        })]),
        ["devices"] = new JsonArray([.. report.Devices.Select(d => (JsonNode)new JsonObject
        {
            ["device"] = d.DeviceId,
            ["account"] = d.Account,
            ["own"] = d.IsOwnDevice,
            ["state"] = State(d.State),
            ["since"] = d.Since,
            ["keyAgeDays"] = Math.Round(d.KeyAge.TotalDays, 2),
        })]),
        ["pending"] = new JsonArray([.. report.PendingActions.Select(p => (JsonNode)new JsonObject
        {
            ["kind"] = p.Kind.ToString(),
            ["account"] = p.Account,
            ["device"] = p.DeviceId,
            ["detail"] = p.Detail,
        })]),
    };

    private static string State(TrustState state) => state.ToString().ToLowerInvariant();

    private static string Short(string id) => id.Length > 16 ? id[..16] + "…" : id;

    private static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Age(TimeSpan age) => age.TotalDays >= 1 ? $"{age.TotalDays:0} d" : age.TotalHours >= 1 ? $"{age.TotalHours:0} h" : $"{Math.Max(0, age.TotalMinutes):0} min";
}
