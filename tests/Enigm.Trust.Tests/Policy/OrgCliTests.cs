using System.Text.Json;
using Enigm.Keys.Protection;
using Enigm.Server.Hosting;
using Enigm.Server.Storage.Sqlite;
using Xunit;

namespace Enigm.Trust.Tests.Policy;

/// <summary>
/// <c>enigm org …</c> and <c>enigm posture …</c> against a real relay (docs/policy.md, "CLI"): an organisation key,
/// a signed policy, a device that falls out of policy and is listed restricted with the reason, a revocation, and an
/// admin audit log that verifies. Runs alone: it sets ENIGM_PASSPHRASE for the key stores it creates.
/// </summary>
[Collection(nameof(OrgCliCollection))]
public sealed class OrgCliTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("enigm-org-cli-").FullName;
    private SqliteRelayStore _store = null!;
    private RelayServer _relay = null!;
    private string _credential = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", "a long enough passphrase for the org tests");
        _store = new SqliteRelayStore(Path.Combine(_folder, "relay.db"));
        _relay = await RelayServer.StartAsync(new RelayServerOptions
        {
            Store = _store,
            DataDirectory = Path.Combine(_folder, "data"),
            PublicUrls = ["http://127.0.0.1:0"],
            AdminUrls = ["http://127.0.0.1:0"],
            LogKeyArgon2 = new Argon2idSettings(Argon2idSettings.MinMemoryKiB, 1, 1),
        });
        _credential = _relay.AdminCredentialPath!;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("ENIGM_PASSPHRASE", null);
        await _relay.DisposeAsync();
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The temp cleaner gets it.
        }
    }

    private (int Code, JsonElement Json, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Enigm.Cli.Program.Run([.. args, "--json"], output, error);
        var text = output.ToString();
        return (code, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, error.ToString());
    }

    private string[] Org(params string[] args) =>
        ["org", .. args, "--org-home", Path.Combine(_folder, "org"), "--admin", _relay.AdminUrls[0], "--admin-credential", _credential];

    private string[] Device(params string[] args) => [.. args, "--home", Path.Combine(_folder, "alice")];

    [Fact]
    public void An_admin_sets_a_policy_sees_an_old_client_restricted_revokes_it_and_verifies_the_audit_log()
    {
        var init = Run(Org("init", "--argon2", "interactive"));
        Assert.True(init.Code == 0, init.Error);
        var organisation = init.Json.GetProperty("organisation").GetString()!;
        Assert.StartsWith("org-", organisation, StringComparison.Ordinal);

        var policy = Run(Org("policy", "set", "--min-client", "2.0.0", "--reason", "raise the minimum client"));
        Assert.True(policy.Code == 0, policy.Error);
        Assert.Equal(1, policy.Json.GetProperty("version").GetInt32());

        var account = Run(Device("init", "--name", "alice", "--device-name", "phone", "--server", _relay.PublicUrls[0], "--argon2", "interactive"));
        Assert.True(account.Code == 0, account.Error);
        var published = Run(Device("posture", "publish", "--client-version", "1.9.0"));
        Assert.True(published.Code == 0, published.Error);
        Assert.Equal("restricted", published.Json.GetProperty("state").GetString());

        var restricted = Run(Org("devices", "--state", "restricted"));
        Assert.True(restricted.Code == 0, restricted.Error);
        var device = Assert.Single(restricted.Json.GetProperty("devices").EnumerateArray());
        Assert.Equal("client 1.9.0 is below the minimum 2.0.0", device.GetProperty("reasons")[0].GetProperty("text").GetString());

        var show = Run(Device("posture", "show", "--client-version", "1.9.0"));
        Assert.True(show.Code == 0, show.Error);
        Assert.Equal("restricted", show.Json.GetProperty("relayState").GetString());
        Assert.True(show.Json.GetProperty("relayClaimSupported").GetBoolean());

        var revoked = Run(Org("revoke", device.GetProperty("device").GetString()!, "--reason", "lost"));
        Assert.True(revoked.Code == 0, revoked.Error);
        Assert.Equal("revoked-by-organisation", revoked.Json.GetProperty("state").GetString());

        var audit = Run(Org("audit"));
        Assert.True(audit.Code == 0, audit.Error);
        Assert.True(audit.Json.GetProperty("verified").GetBoolean());
        Assert.Equal(["org-policy-set", "org-device-revoke"], audit.Json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
    }

    [Fact]
    public void A_wrong_admin_credential_and_an_unknown_device_are_typed_errors()
    {
        Assert.Equal(0, Run(Org("init", "--argon2", "interactive")).Code);
        var wrong = Path.Combine(_folder, "wrong-credential");
        File.WriteAllText(wrong, "guessed");
        var refused = Run(["org", "devices", "--admin", _relay.AdminUrls[0], "--admin-credential", wrong]);
        Assert.Equal(87, refused.Code);
        Assert.Equal(2, Run(Org("restrict", "dev-nosuchdevice")).Code);
    }
}

[CollectionDefinition(nameof(OrgCliCollection), DisableParallelization = true)]
public sealed class OrgCliCollection;
