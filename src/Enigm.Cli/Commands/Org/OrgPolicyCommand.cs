using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Relay.Policy;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;

namespace Enigm.Cli.Commands.Org;

/// <summary><c>enigm org policy set</c>: sign a new policy version with the organisation key and upload it.</summary>
internal static class OrgPolicyCommand
{
    public static Command Build(CliContext cli)
    {
        var policy = new Command("policy", "Set the organisation policy (signed, versioned, verifiable by every device).");
        policy.Subcommands.Add(Set(cli));
        return policy;
    }

    private static Command Set(CliContext cli)
    {
        var version = new Option<ulong?>("--version") { Description = "Policy version (default: one above the relay's current one); never lower." };
        var minClient = new Option<string?>("--min-client") { Description = "Minimum client version, e.g. 2.1.0." };
        var minOs = new Option<string?>("--min-os") { Description = "Minimum OS version, e.g. 13.0." };
        var protectors = new Option<string?>("--protector") { Description = "Allowed key protectors, comma-separated: passphrase, tpm, os-keystore (default: any)." };
        var maxKeyAge = new Option<string?>("--max-key-age") { Description = "Oldest a device key may be, e.g. 365d." };
        var maxSinceUpdate = new Option<string?>("--max-since-update") { Description = "Longest without a verified update check, e.g. 7d." };
        var requireVerification = new Option<bool>("--require-verification") { Description = "Devices must verify new and changed contacts (changed ones restrict)." };
        var reason = new Option<string>("--reason") { Description = "Recorded in the admin audit log.", DefaultValueFactory = _ => "policy change" };
        return cli.Command(
            "set",
            "Sign a new policy version with the organisation key and upload it; devices are re-evaluated against it.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var (ring, keyId, key) = OrgSession.OpenKey(parse);
                using (ring)
                {
                    using var session = OrgSession.Connect(parse);
                    var ct = KeyStoreSession.Cancellation;
                    var head = session.GetJsonAsync(PolicyRoutes.AdminAuditHead, PolicyJson.Default.AuditHeadResponse, ct).GetAwaiter().GetResult();
                    var next = parse.GetValue(version) ?? NextVersion(session, ct);
                    var value = new OrganisationPolicy(key.Id, next, DateTimeOffset.UtcNow, Version(parse.GetValue(minClient), "--min-client"), Version(parse.GetValue(minOs), "--min-os"),
                        Protectors(parse.GetValue(protectors)), KeyArguments.Duration(parse.GetValue(maxKeyAge)), KeyArguments.Duration(parse.GetValue(maxSinceUpdate)),
                        parse.GetValue(requireVerification));
                    if (PolicyEncodingProblem(value) is { } problem) throw new UsageException(problem);
                    var body = OrgSession.SignedPolicyRequest(ring, keyId, key, value, parse.GetValue(reason)!, head.Hash);
                    var response = session.SendBytesAsync(HttpMethod.Put, PolicyRoutes.AdminPolicy, body, PolicyJson.Default.AdminActionResponse, ct).GetAwaiter().GetResult()!;
                    n.Line($"  policy version {next} signed by {key.Id} and set (audit entry {response.Sequence})");
                    n.WriteJson(new JsonObject { ["organisation"] = key.Id, ["version"] = next, ["auditSequence"] = response.Sequence });
                }

                return ExitCodes.Ok;
            },
            version, minClient, minOs, protectors, maxKeyAge, maxSinceUpdate, requireVerification, reason);
    }

    /// <summary>One above the highest version the admin audit log records (policy changes have subject policy/VERSION).</summary>
    private static ulong NextVersion(OrgSession session, CancellationToken ct)
    {
        var entries = session.GetJsonAsync(PolicyRoutes.AdminAudit, PolicyJson.Default.AuditEntryViewArray, ct).GetAwaiter().GetResult();
        ulong highest = 0;
        foreach (var entry in entries)
        {
            if (entry.Subject is { } s && s.StartsWith("policy/", StringComparison.Ordinal)
                && ulong.TryParse(s.AsSpan(7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v))
                highest = Math.Max(highest, v);
        }

        return highest + 1;
    }

    private static string? PolicyEncodingProblem(OrganisationPolicy policy)
    {
        try
        {
            PolicyEncoding.Sign(policy, _ => []);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    private static string? Version(string? text, string option) =>
        text is null || VersionNumber.IsValid(text) ? text : throw new UsageException($"{option} '{text}' is not a dotted numeric version");

    private static IReadOnlyList<KeyProtectorKind> Protectors(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => p switch
        {
            "passphrase" => KeyProtectorKind.Passphrase,
            "tpm" => KeyProtectorKind.Tpm,
            "os-keystore" => KeyProtectorKind.OsKeyStore,
            _ => throw new UsageException($"--protector '{p}': passphrase, tpm or os-keystore"),
        }).Distinct().Order()];
}
