using System.CommandLine;
using System.Text.Json.Nodes;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Relay.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Commands.Org;

/// <summary>
/// <c>enigm org init</c>: creates the organisation key store with one composite id-MLDSA65-Ed25519-SHA512 organisation
/// key (Enigm.Keys: wrapped at rest, lifecycle and audit log), and registers its public key with the relay (once).
/// </summary>
internal static class OrgInitCommand
{
    public static Command Build(CliContext cli)
    {
        var options = new ProtectorOptions();
        var offline = new Option<bool>("--no-register") { Description = "Only create the key store; register the key later with --register-only." };
        var registerOnly = new Option<bool>("--register-only") { Description = "Register the existing organisation key with the relay." };
        return cli.Command(
            "init",
            "Create the organisation key (stored with Enigm.Keys) and register its public key with the relay's admin API.",
            parse =>
            {
                var n = cli.Narrator(parse);
                var home = OrgSession.ResolveHome(parse.GetValue(OrgSession.OrgHome));
                OrganisationKey key;
                if (parse.GetValue(registerOnly))
                {
                    var (ring, _, existing) = OrgSession.OpenKey(parse);
                    ring.Dispose();
                    key = existing;
                }
                else
                {
                    var protector = KeyArguments.CreateProtector(parse.GetValue(options.Protector)!, parse.GetValue(options.Argon)!, parse.GetValue(options.Pcrs), KeyStoreSession.ReadPassphrase);
                    using var ring = KeyStoreSession.Create(home, protector);
                    (_, key) = OrgSession.CreateKey(ring);
                    n.Line($"  organisation key {key.Id} created in {ring.StorePath}");
                    n.Line($"  fingerprint {key.Fingerprint} (give it to devices out of band: enigm org pin FINGERPRINT)");
                }

                var registered = false;
                if (!parse.GetValue(offline))
                {
                    using var session = OrgSession.Connect(parse);
                    session.SendBytesAsync<object>(HttpMethod.Put, PolicyRoutes.AdminKey, key.Encoded, null, KeyStoreSession.Cancellation).GetAwaiter().GetResult();
                    registered = true;
                    n.Line($"  registered with the relay at {parse.GetValue(OrgSession.Admin)}");
                }

                n.WriteJson(new JsonObject
                {
                    ["organisation"] = key.Id,
                    ["publicKey"] = Convert.ToBase64String(key.Encoded),
                    ["fingerprint"] = key.Fingerprint,
                    ["home"] = home,
                    ["registered"] = registered,
                });
                return ExitCodes.Ok;
            },
            [.. options.All, offline, registerOnly]);
    }
}
