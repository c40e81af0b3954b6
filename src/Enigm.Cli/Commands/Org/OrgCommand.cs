using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Client.Posture;
using Enigm.Relay.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Commands.Org;

/// <summary>
/// <c>enigm org init|policy|devices|restrict|lift|revoke|sign|audit</c>: an organisation administrator's side of managed
/// devices (docs/policy.md); <c>enigm org pin</c> is the device's side, pinning the organisation key out of band. Every change is signed with the organisation key and can only lower trust.
/// </summary>
public static class OrgCommand
{
    public static Command Build(CliContext cli)
    {
        var org = new Command("org", "Administer managed devices: the organisation key, signed policy, restrictions and the admin audit log.");
        org.Options.Add(OrgSession.OrgHome);
        org.Options.Add(OrgSession.Admin);
        org.Options.Add(OrgSession.Credential);
        org.Subcommands.Add(OrgInitCommand.Build(cli));
        org.Subcommands.Add(OrgPolicyCommand.Build(cli));
        org.Subcommands.Add(Devices(cli));
        org.Subcommands.Add(OrgActionCommand.Build(cli, AdminActionKind.Restrict, "restrict", "Restrict a managed device: it may still receive but not send."));
        org.Subcommands.Add(OrgActionCommand.Build(cli, AdminActionKind.LiftRestriction, "lift", "Lift an earlier restriction (the device must still meet the policy)."));
        org.Subcommands.Add(OrgActionCommand.Build(cli, AdminActionKind.Revoke, "revoke", "Revoke a managed device for the organisation (final)."));
        org.Subcommands.Add(OrgSignCommand.Build(cli));
        org.Subcommands.Add(Audit(cli));
        org.Subcommands.Add(OrgPinCommand.Build(cli));
        return org;
    }

    private static Command Devices(CliContext cli)
    {
        var state = new Option<string?>("--state") { Description = "Only devices in this state: compliant, warning, restricted or revoked-by-organisation." };
        return cli.Command(
            "devices",
            "List managed devices by compliance state, with the reasons.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var filter = parse.GetValue(state);
                if (filter is not null && ComplianceDecision.Parse(filter) is null)
                    throw new UsageException("--state must be compliant, warning, restricted or revoked-by-organisation");
                using var session = OrgSession.Connect(parse);
                var route = PolicyRoutes.AdminDevices + (filter is null ? "" : "?state=" + Uri.EscapeDataString(filter));
                var devices = session.GetJsonAsync(route, PolicyJson.Default.ManagedDeviceArray, KeyStoreSession.Cancellation).GetAwaiter().GetResult();
                n.Table(["account", "device", "state", "client", "reasons"], devices.Select(d => (IReadOnlyList<string>)
                [
                    d.Account[..12] + "…", d.Device, d.State, d.ClientVersion ?? "-", string.Join("; ", d.Reasons.Select(r => r.Text)),
                ]));
                n.WriteJson(new JsonObject { ["devices"] = new JsonArray([.. devices.Select(Json)]) });
                return ExitCodes.Ok;
            },
            state);
    }

    private static Command Audit(CliContext cli) => cli.Command(
        "audit",
        "Fetch the admin audit log and verify it: the hash chain (Enigm.Keys' audit format) and every action's organisation signature.",
        parse =>
        {
            var n = cli.Narrator(parse);
            var (ring, _, key) = OrgSession.OpenKey(parse);
            using (ring)
            {
                using var session = OrgSession.Connect(parse);
                var records = AdminAuditEncoding.Decode(session.GetBytesAsync(PolicyRoutes.AdminAuditLog, KeyStoreSession.Cancellation).GetAwaiter().GetResult());
                var actions = AdminAuditVerifier.Verify(records, key);
                n.Table(["#", "time", "event", "subject", "reason"], records.Zip(actions).Select(p => (IReadOnlyList<string>)
                [
                    p.First.Sequence.ToString(CultureInfo.InvariantCulture), p.First.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    p.First.Event, p.First.KeyId ?? "", p.Second.Reason,
                ]));
                n.Line($"  verified: {records.Count} entries, chain intact, every action signed by {key.Id}");
                n.WriteJson(new JsonObject
                {
                    ["organisation"] = key.Id,
                    ["verified"] = true,
                    ["entries"] = new JsonArray([.. records.Zip(actions).Select(p => (JsonNode)new JsonObject
                    {
                        ["sequence"] = p.First.Sequence,
                        ["time"] = p.First.Time,
                        ["event"] = p.First.Event,
                        ["subject"] = p.First.KeyId,
                        ["reason"] = p.Second.Reason,
                        ["hash"] = Convert.ToHexStringLower(p.First.Hash),
                    })]),
                });
            }

            return ExitCodes.Ok;
        });

    internal static JsonNode Json(ManagedDevice d) => new JsonObject
    {
        ["account"] = d.Account,
        ["device"] = d.Device,
        ["state"] = d.State,
        ["clientVersion"] = d.ClientVersion,
        ["osVersion"] = d.OsVersion,
        ["postureAt"] = d.PostureAt,
        ["reasons"] = new JsonArray([.. d.Reasons.Select(r => (JsonNode)new JsonObject { ["code"] = r.Code, ["severity"] = r.Severity, ["text"] = r.Text })]),
    };
}
