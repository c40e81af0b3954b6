using System.Text.Json.Nodes;
using Enigm.Cli;
using Enigm.Client;

namespace Enigm.Center.Tests.Support;

/// <summary>
/// The organisation's administrator at work: runs the real <c>enigm org</c> commands in process (the organisation key in
/// its own Enigm.Keys store under the test folder, the relay's admin credential in a file), so policies and actions are
/// signed and uploaded exactly as the CLI does. The relay and its console never hold the organisation key.
/// </summary>
public sealed class OrganisationCli
{
    private const string Passphrase = "the organisation's own long passphrase";

    private readonly string[] _common;

    private OrganisationCli(string home, string credentialFile, Uri adminUrl, JsonNode init)
    {
        _common = ["--org-home", home, "--admin", adminUrl.ToString(), "--admin-credential", credentialFile, "--json"];
        Organisation = init["organisation"]!.GetValue<string>();
        Fingerprint = init["fingerprint"]!.GetValue<string>();
        PublicKey = Convert.FromBase64String(init["publicKey"]!.GetValue<string>());
    }

    /// <summary>The encoded organisation public key (<c>enigm org init --json</c>'s <c>publicKey</c>).</summary>
    public byte[] PublicKey { get; }

    public string Organisation { get; }

    public string Fingerprint { get; }

    /// <summary><c>enigm org init</c>: creates the organisation key and registers it with the relay (once per relay).</summary>
    public static OrganisationCli Init(string folder, Uri adminUrl, string credential)
    {
        Directory.CreateDirectory(folder);
        var credentialFile = Path.Combine(folder, "admin-credential");
        File.WriteAllText(credentialFile, credential);
        var home = Path.Combine(folder, "org-keys");
        var init = Run(["org", "init", "--argon2", "interactive", "--org-home", home, "--admin", adminUrl.ToString(), "--admin-credential", credentialFile, "--json"]);
        return new OrganisationCli(home, credentialFile, adminUrl, init);
    }

    /// <summary>
    /// An organisation key store that is never registered with the relay (<c>enigm org init --no-register</c>): another
    /// organisation's key, for documents the relay must refuse.
    /// </summary>
    public static OrganisationCli InitUnregistered(string folder, Uri adminUrl)
    {
        Directory.CreateDirectory(folder);
        var credentialFile = Path.Combine(folder, "admin-credential");
        File.WriteAllText(credentialFile, "not used");
        var home = Path.Combine(folder, "org-keys");
        var init = Run(["org", "init", "--no-register", "--argon2", "interactive", "--org-home", home, "--json"]);
        return new OrganisationCli(home, credentialFile, adminUrl, init);
    }

    /// <summary><c>enigm org sign --in UNSIGNED --out SIGNED</c>, offline; returns its JSON.</summary>
    public JsonNode Sign(string unsignedFile, string signedFile) => Run(["org", "sign", "--in", unsignedFile, "--out", signedFile, "--force", .. _common]);

    /// <summary><c>enigm org policy set OPTIONS</c>; returns the version set (one above the relay's current one).</summary>
    public ulong SetPolicy(params string[] options) => Run(["org", "policy", "set", .. options, .. _common])["version"]!.GetValue<ulong>();

    /// <summary><c>enigm org restrict|lift|revoke ACCOUNT/DEVICE --reason R</c>.</summary>
    public void Act(string verb, EnigmClient device, string reason) => Run(["org", verb, $"{device.Account}/{device.DeviceId}", "--reason", reason, .. _common]);

    /// <summary>Runs <c>enigm ARGS</c> with the organisation's passphrase; the exit code, stdout and stderr.</summary>
    public (int Code, string Output, string Error) Try(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", Passphrase);
        try
        {
            return (Program.Run([.. args, .. _common], output, error), output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", null);
        }
    }

    private static JsonNode Run(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", Passphrase);
        try
        {
            var code = Program.Run(args, output, error);
            if (code != 0) throw new InvalidOperationException($"enigm {string.Join(' ', args.Take(3))} exited {code}: {error}");
            return JsonNode.Parse(output.ToString())!;
        }
        finally
        {
            Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", null);
        }
    }
}
