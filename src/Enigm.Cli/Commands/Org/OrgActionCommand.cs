using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Keys;
using Enigm.Relay.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Commands.Org;

/// <summary>
/// <c>enigm org restrict|lift|revoke DEVICE</c>: signs the action with the organisation key, linked to the admin audit
/// log's current head, and sends it. DEVICE is a device id (as <c>enigm org devices</c> lists it) or ACCOUNT/DEVICE.
/// </summary>
internal static class OrgActionCommand
{
    public static Command Build(CliContext cli, AdminActionKind kind, string name, string description)
    {
        var device = new Argument<string>("device") { Description = "The device id, or ACCOUNT/DEVICE when ids repeat." };
        var reason = new Option<string>("--reason") { Description = "Why (signed, recorded in the admin audit log, shown to the device).", DefaultValueFactory = _ => name + " by the organisation" };
        return cli.Command(
            name,
            description,
            parse =>
            {
                var n = cli.Narrator(parse);
                var (ring, keyId, key) = OrgSession.OpenKey(parse);
                using (ring)
                {
                    using var session = OrgSession.Connect(parse);
                    var ct = KeyStoreSession.Cancellation;
                    var (account, id) = Resolve(session, parse.GetValue(device)!.Trim(), ct);
                    var head = session.GetJsonAsync(PolicyRoutes.AdminAuditHead, PolicyJson.Default.AuditHeadResponse, ct).GetAwaiter().GetResult();
                    var action = new AdminAction(key.Id, kind, account, id, parse.GetValue(reason)!, DateTimeOffset.UtcNow, 0, [], Convert.FromHexString(head.Hash));
                    var signed = OrgSession.SignAction(ring, keyId, key, action);
                    var response = session.SendBytesAsync(HttpMethod.Post, PolicyRoutes.AdminActions, signed, PolicyJson.Default.AdminActionResponse, ct).GetAwaiter().GetResult()!;
                    n.Line($"  {action.EventName}: {account[..12]}…/{id} (audit entry {response.Sequence}); device is now {response.Device?.State}");
                    n.WriteJson(new JsonObject
                    {
                        ["event"] = action.EventName,
                        ["account"] = account,
                        ["device"] = id,
                        ["auditSequence"] = response.Sequence,
                        ["state"] = response.Device?.State,
                    });
                }

                return ExitCodes.Ok;
            },
            device,
            reason);
    }

    internal static Func<byte[], byte[]> Signer(KeyRing ring, string keyId) => message => ring.Sign(keyId, message);

    private static (string Account, string Device) Resolve(OrgSession session, string text, CancellationToken ct)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0) return (text[..slash], text[(slash + 1)..]);
        var matches = session.GetJsonAsync(PolicyRoutes.AdminDevices, PolicyJson.Default.ManagedDeviceArray, ct).GetAwaiter().GetResult()
            .Where(d => d.Device == text).ToList();
        return matches switch
        {
            [var one] => (one.Account, one.Device),
            [] => throw new UsageException($"no managed device '{text}' ('enigm org devices' lists them)"),
            _ => throw new UsageException($"device id '{text}' is in {matches.Count} accounts; give ACCOUNT/DEVICE"),
        };
    }
}
