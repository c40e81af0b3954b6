using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Enigm.Cli.Output;
using Enigm.Crypto.Errors;
using Enigm.Keys;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Commands.Org;

/// <summary>
/// <c>enigm org sign --in UNSIGNED --out SIGNED</c>: the offline half of the console's policy editor and restrict /
/// lift / revoke buttons (docs/policy.md, "Offline signing"). Reads the unsigned document the console prepared, shows
/// what it says, checks it is for this organisation key and in canonical form (so exactly those bytes get signed), signs
/// it with the organisation key store — the same <see cref="OrgSession"/> code <c>policy set</c> and <c>restrict</c>
/// use — and writes the signed document to upload in the console. It never contacts the relay.
/// </summary>
internal static class OrgSignCommand
{
    public static Command Build(CliContext cli)
    {
        var input = new Option<string>("--in") { Description = "The unsigned document the console prepared (-----BEGIN ENIGM UNSIGNED ORG …-----).", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write the signed document (to upload in the console).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out file." };
        return cli.Command(
            "sign",
            "Sign a policy or device action the organisation console prepared, offline, with the organisation key; write the signed document to upload.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var outPath = parse.GetValue(output)!;
                if (File.Exists(outPath) && !parse.GetValue(force)) throw new UsageException($"{outPath} exists; pass --force to replace it");
                var text = Encoding.UTF8.GetString(InputFile.Read(parse.GetValue(input)!, OrgDocuments.MaxChars,
                    p => new MalformedInputException($"{p} is larger than an organisation document ({OrgDocuments.MaxChars} bytes).")));
                var unsigned = OrgDocuments.Read(text);
                if (unsigned.IsSigned) throw new UsageException("the document is already signed: upload it in the console");
                var (ring, keyId, key) = OrgSession.OpenKey(parse);
                OrgDocument signed;
                JsonObject json;
                using (ring)
                {
                    (signed, json) = unsigned.IsPolicy ? SignPolicy(n, ring, keyId, key, unsigned) : SignAction(n, ring, keyId, key, unsigned);
                }

                Write(outPath, OrgDocuments.Write(signed));
                n.Line($"  signed with the organisation key {keyId} ({key.Id}); wrote {outPath}: upload it in the organisation console");
                json["organisation"] = key.Id;
                json["out"] = Path.GetFullPath(outPath);
                n.WriteJson(json);
                return ExitCodes.Ok;
            },
            input,
            output,
            force);
    }

    private static (OrgDocument, JsonObject) SignPolicy(Narrator n, KeyRing ring, string keyId, OrganisationKey key, OrgDocument unsigned)
    {
        var policy = PolicyEncoding.ReadUnverified(unsigned.Policy!);
        var template = AdminActionEncoding.ReadUnverified(unsigned.Action);
        RequireOwn(key, policy.Organisation);
        RequireCanonical(PolicyEncoding.Sign(policy, _ => [], key.SuiteId), unsigned.Policy!, "policy");
        RequireCanonical(AdminActionEncoding.Sign(template, _ => [], key.SuiteId), unsigned.Action, "set-policy action");
        n.Line($"  policy version {policy.Version} for {policy.Organisation}: minimum client {policy.MinClientVersion ?? "any"}, minimum OS {policy.MinOsVersion ?? "any"}, "
            + $"protectors {(policy.AllowedProtectors.Count == 0 ? "any" : string.Join(",", policy.AllowedProtectors))}, maximum key age {Days(policy.MaxKeyAge)}, "
            + $"maximum since an update check {Days(policy.MaxSinceOtaCheck)}, verification required {(policy.RequireContactVerification ? "yes" : "no")}");
        n.Line($"  reason \"{template.Reason}\", linked to the admin audit head {Convert.ToHexStringLower(template.PreviousAuditHash)[..16]}…");
        var (signedPolicy, signedAction) = OrgSession.SignPolicy(ring, keyId, key, policy, template.Reason, template.PreviousAuditHash, template.IssuedAt);
        return (new OrgDocument(OrgDocumentKind.SignedPolicy, signedPolicy, signedAction), new JsonObject
        {
            ["kind"] = "policy",
            ["version"] = policy.Version,
            ["minClient"] = policy.MinClientVersion,
            ["reason"] = template.Reason,
        });
    }

    private static (OrgDocument, JsonObject) SignAction(Narrator n, KeyRing ring, string keyId, OrganisationKey key, OrgDocument unsigned)
    {
        var action = AdminActionEncoding.ReadUnverified(unsigned.Action);
        RequireOwn(key, action.Organisation);
        RequireCanonical(AdminActionEncoding.Sign(action, _ => [], key.SuiteId), unsigned.Action, "action");
        n.Line($"  {action.EventName}: device {action.Device} of account {action.Account}, reason \"{action.Reason}\", "
            + $"linked to the admin audit head {Convert.ToHexStringLower(action.PreviousAuditHash)[..16]}…");
        var signed = OrgSession.SignAction(ring, keyId, key, action);
        return (new OrgDocument(OrgDocumentKind.SignedAction, null, signed), new JsonObject
        {
            ["kind"] = action.EventName,
            ["account"] = action.Account,
            ["device"] = action.Device,
            ["reason"] = action.Reason,
        });
    }

    private static void RequireOwn(OrganisationKey key, string organisation)
    {
        if (organisation != key.Id)
            throw new OrganisationKeyException($"The document is for organisation {organisation}; this key store's organisation key is {key.Id}.");
    }

    /// <summary>The document must be exactly what re-encoding its content gives (canonical, this key's suite), so the signature covers what was shown.</summary>
    private static void RequireCanonical(byte[] expected, byte[] given, string what)
    {
        if (!expected.AsSpan().SequenceEqual(given))
            throw new MalformedInputException($"The unsigned {what} is not in canonical form for this organisation key's suite; prepare it again in the console.");
    }

    /// <summary>Writes beside the destination, then moves into place: a half-written signed document never appears.</summary>
    private static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary)) File.Delete(temporary);
            throw new UsageException($"cannot write --out {path}: {e.Message}");
        }
    }

    private static string Days(TimeSpan? span) => span is { } s ? $"{s.TotalDays:0} days" : "none";
}
