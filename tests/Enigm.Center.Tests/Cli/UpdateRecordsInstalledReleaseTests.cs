using System.Text.Json.Nodes;
using Enigm.Center.Tests.Support;
using Enigm.Cli;
using Enigm.Cli.Output;
using Enigm.Client.Posture;
using Enigm.Ota.Repository;

namespace Enigm.Center.Tests.Cli;

/// <summary>
/// <c>enigm update fetch --home DIR</c> (docs/policy.md, "Client version"): after the verified download, the release's
/// version is recorded in that client home as the installed client release, so the device's next posture statement
/// reports it and the relay evaluates the policy against it. Without <c>--home</c> no client home is touched.
/// </summary>
[Collection(CenterCollection.Name)]
public sealed class UpdateRecordsInstalledReleaseTests(CenterWorld world)
{
    [Fact]
    public async Task A_verified_fetch_with_home_records_the_installed_client_release_and_the_next_posture_reports_it()
    {
        var organisation = world.Organisation;
        var folder = Directory.CreateDirectory(Path.Combine(world.Devices.Folder, "update-home")).FullName;
        var (repo, root, device) = PublishRelease(folder, "7.4.0");
        using (var before = await world.Devices.CreateAsync("updating", world.Relay.Url))
        {
            await before.AddContactAsync("bob", world.Bob.Account);
            Assert.Null(before.InstalledClientRelease());
        }

        var withoutHome = Run("update", "fetch", "--repo", repo, "--device", device, "--root", root, "--out", Path.Combine(folder, "plain"), "--json");
        using (var untouched = world.Devices.Open("updating")) Assert.Null(untouched.InstalledClientRelease());
        var fetched = Run("update", "fetch", "--repo", repo, "--device", device, "--root", root, "--out", Path.Combine(folder, "installed"),
            "--home", world.Devices.Home("updating"), "--json");

        Assert.True(withoutHome.Code == ExitCodes.Ok, withoutHome.Error);
        Assert.True(fetched.Code == ExitCodes.Ok, fetched.Error);
        Assert.Equal("7.4.0", JsonNode.Parse(fetched.Output)!["version"]!.GetValue<string>());
        using var updated = world.Devices.Open("updating");
        Assert.Equal("7.4.0", updated.InstalledClientRelease()?.Version);
        Assert.Equal("7.4.0", updated.CurrentPosture().ClientVersion);
        organisation.SetPolicy("--min-client", "7.0.0", "--reason", "the installed release meets it");
        Assert.Equal("compliant", (await updated.PublishPostureAsync(new PostureFacts())).State);
        organisation.SetPolicy("--min-client", "1.0.0", "--reason", "back to the baseline");
    }

    /// <summary>A TUF repository (ed25519 keys, <c>enigm release init|add|sign|publish</c>) with one client release; its root and a device profile.</summary>
    private static (string Repo, string Root, string Device) PublishRelease(string folder, string version)
    {
        var (repo, holder, artifact) = (Path.Combine(folder, "repo"), Path.Combine(folder, "release-keys"), Path.Combine(folder, $"client-{version}.bin"));
        File.WriteAllText(artifact, "the client release " + version);
        foreach (var step in new[]
        {
            new[] { "release", "init", repo, "--key-type", "ed25519" },
            ["release", "add", repo, artifact, "--version", version, "--channel", "stable"],
            ["release", "sign", repo, "--role", "root"],
            ["release", "sign", repo, "--role", "targets"],
            ["release", "publish", repo],
        })
        {
            var (code, _, error) = Run([.. step, "--home", holder, "--argon2", "interactive"]);
            Assert.True(code == ExitCodes.Ok, $"enigm {string.Join(' ', step.Take(2))}: {error}");
        }

        var device = Path.Combine(folder, "device.json");
        File.WriteAllText(device, """{ "id": "dev-updating", "model": "m1", "channel": "stable", "installed_version": "7.3.0", "os_version": "13.2", "trust_state": "verified" }""");
        return (repo, new RepositoryLayout(repo).Versioned("root", 1), device);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", TestDevices.Passphrase);
        try
        {
            return (Program.Run(args, output, error), output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", null);
        }
    }
}
