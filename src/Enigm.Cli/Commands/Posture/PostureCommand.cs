using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Client.Posture;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;

namespace Enigm.Cli.Commands.Posture;

/// <summary>
/// <c>enigm posture show|publish</c>: this device's signed security posture and its standing with the organisation
/// (docs/policy.md). <c>show</c> verifies the organisation key, policy and admin audit log and says whether the relay's
/// claimed state is supported by them.
/// </summary>
public static class PostureCommand
{
    public static Command Build(CliContext cli)
    {
        var posture = new Command("posture", "This device's security posture statement and its compliance with the organisation policy.");
        posture.Subcommands.Add(Show(cli));
        posture.Subcommands.Add(Publish(cli));
        return posture.WithDeviceOptions(cli);
    }

    private static readonly Option<string?> ClientVersionOption = new("--client-version") { Description = "Report this client version instead of the running one (testing a policy)." };

    private static readonly Option<string?> OsVersionOption = new("--os-version") { Description = "Report this OS version instead of the detected one." };

    private static Command Show(CliContext cli) => cli.Command(
        "show",
        "Show this device's posture and verify the organisation's key, policy and admin audit log against the relay's claim.",
        parse =>
        {
            var n = cli.Narrator(parse);
            using var client = ClientSession.Open(cli, parse);
            var posture = client.CurrentPosture(Facts(parse));
            var status = ClientSession.Wait(client.CheckOrganisationAsync(ClientSession.Cancellation));
            Describe(n, posture);
            if (status.Organisation is null)
            {
                n.Line("  organisation: none (this relay has no organisation key)");
            }
            else
            {
                n.Line($"  organisation: {status.Organisation}, policy version {status.Policy?.Version.ToString(CultureInfo.InvariantCulture) ?? "none"}, admin audit log verified ({status.AuditEntries} entries)");
                n.Line($"  relay says: {status.RelayState}{Because(status.RelayReasons)}");
                n.Line($"  signed inputs say: {ComplianceDecision.NameOf(status.ExpectedState.State)}{Because(status.ExpectedState.Reasons.Select(r => r.Text))}");
                if (!status.RelayClaimSupported) n.Line("  warning: the relay claims a stricter state than the organisation's signed policy and actions support");
            }

            n.WriteJson(new JsonObject
            {
                ["posture"] = Json(posture),
                ["organisation"] = status.Organisation,
                ["policyVersion"] = status.Policy?.Version,
                ["auditEntries"] = status.AuditEntries,
                ["relayState"] = status.RelayState,
                ["expectedState"] = ComplianceDecision.NameOf(status.ExpectedState.State),
                ["relayClaimSupported"] = status.RelayClaimSupported,
                ["reasons"] = new JsonArray([.. status.ExpectedState.Reasons.Select(r => (JsonNode)new JsonObject { ["code"] = r.Code, ["text"] = r.Text })]),
            });
            return ExitCodes.Ok;
        },
        ClientVersionOption, OsVersionOption);

    private static Command Publish(CliContext cli) => cli.Command(
        "publish",
        "Sign this device's posture with its device key and upload it now; prints the relay's evaluation.",
        parse =>
        {
            var n = cli.Narrator(parse);
            using var client = ClientSession.Open(cli, parse);
            var facts = Facts(parse);
            var posture = client.CurrentPosture(facts);
            var response = ClientSession.Wait(client.PublishPostureAsync(facts, ClientSession.Cancellation));
            Describe(n, posture);
            n.Line($"  published; the relay evaluates this device as {response.State}{Because(response.Reasons.Select(r => r.Text))}");
            n.WriteJson(new JsonObject
            {
                ["posture"] = Json(posture),
                ["state"] = response.State,
                ["reasons"] = new JsonArray([.. response.Reasons.Select(r => (JsonNode)new JsonObject { ["code"] = r.Code, ["severity"] = r.Severity, ["text"] = r.Text })]),
            });
            return ExitCodes.Ok;
        },
        ClientVersionOption, OsVersionOption);

    private static PostureFacts Facts(ParseResult parse)
    {
        var client = parse.GetValue(ClientVersionOption);
        var os = parse.GetValue(OsVersionOption);
        if (client is not null && !VersionNumber.IsValid(client)) throw new UsageException($"--client-version '{client}' is not a dotted numeric version");
        if (os is not null && !VersionNumber.IsValid(os)) throw new UsageException($"--os-version '{os}' is not a dotted numeric version");
        return new PostureFacts { ClientVersion = client, OsVersion = os };
    }

    private static void Describe(Narrator n, PostureStatement p)
    {
        n.Line($"  device {p.Device}: client {p.ClientVersion}, OS {p.OsVersion}, protector {p.KeyProtector.ToString().ToLowerInvariant()}");
        n.Line($"  keys: {p.Keys.Count} active, {p.KeysDue} due, {p.KeysOverdue} overdue; audit log {p.AuditLog.ToString().ToLowerInvariant()}");
        n.Line($"  contacts: {p.UnverifiedContacts} unverified, {p.ChangedContacts} changed; last update check {p.LastOtaCheck?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never"}");
    }

    private static string Because(IEnumerable<string> reasons) => reasons.ToList() is { Count: > 0 } list ? " (" + string.Join("; ", list) + ")" : "";

    private static JsonObject Json(PostureStatement p) => new()
    {
        ["account"] = p.Account,
        ["device"] = p.Device,
        ["issuedAt"] = p.IssuedAt,
        ["clientVersion"] = p.ClientVersion,
        ["osVersion"] = p.OsVersion,
        ["keyProtector"] = p.KeyProtector.ToString().ToLowerInvariant(),
        ["keys"] = new JsonArray([.. p.Keys.Select(k => (JsonNode)new JsonObject
        {
            ["purpose"] = k.Purpose,
            ["ageDays"] = Math.Round(k.Age.TotalDays, 1),
            ["cryptoperiodDays"] = Math.Round(k.Cryptoperiod.TotalDays, 1),
            ["due"] = k.Due,
            ["overdue"] = k.Overdue,
        })]),
        ["installedRelease"] = p.InstalledRelease,
        ["lastUpdateCheck"] = p.LastOtaCheck,
        ["auditLog"] = p.AuditLog.ToString().ToLowerInvariant(),
        ["unverifiedContacts"] = p.UnverifiedContacts,
        ["changedContacts"] = p.ChangedContacts,
    };
}
