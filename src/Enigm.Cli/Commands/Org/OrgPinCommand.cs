using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Account;
using Enigm.Cli.Output;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Commands.Org;

/// <summary>
/// <c>enigm org pin FINGERPRINT</c>, run on a managed device: pins the organisation key by the fingerprint an
/// administrator handed over out of band (what <c>enigm org init</c> prints), before the device first meets the
/// organisation. A relay that then serves another key is refused (exit 122) instead of being trusted on first use
/// (docs/policy.md, "What the relay can and cannot do"). Without a pin, trust on first use stays the default.
/// </summary>
internal static class OrgPinCommand
{
    public static Command Build(CliContext cli)
    {
        var fingerprint = new Argument<string>("fingerprint") { Description = "The organisation key's fingerprint: 64 hex digits (SHA-256 of the key), as `enigm org init` prints it." };
        return cli.Command(
            "pin",
            "On a device: pin the organisation key by its fingerprint (given out of band) before first use; a relay serving another key is then refused.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var text = parse.GetValue(fingerprint)!;
                byte[] wanted;
                try
                {
                    wanted = OrganisationKey.ParseFingerprint(text);
                }
                catch (OrganisationKeyException e)
                {
                    throw new UsageException(e.Message);
                }

                using var client = ClientSession.Open(cli, parse);
                client.PinOrganisationFingerprint(text);
                var hex = Convert.ToHexStringLower(wanted);
                n.Line($"  organisation key fingerprint {hex} pinned; this device accepts no other organisation key");
                n.WriteJson(new JsonObject { ["fingerprint"] = hex, ["pinned"] = true });
                return ExitCodes.Ok;
            },
            fingerprint).WithDeviceOptions(cli);
    }
}
