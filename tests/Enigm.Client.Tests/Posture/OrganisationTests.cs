using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Enigm.Client.Errors;
using Enigm.Client.Posture;
using Enigm.Client.Tests.Support;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Relay.Policy;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Enigm.Client.Tests.Posture;

/// <summary>
/// A managed device through the client SDK and a real relay (docs/policy.md): it publishes its signed posture, falls
/// out of policy and is restricted (sending refused, receiving works), and it verifies the organisation's policy and
/// admin audit log itself, detecting a forged policy, a rolled-back policy and an edited audit log with typed errors.
/// </summary>
public sealed class OrganisationTests : IAsyncLifetime
{
    private readonly TestDevices _devices = new();
    private readonly PrivateKey _orgKey = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
    private readonly PrivateKey _otherKey = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();
    private TestRelay _relay = null!;
    private HttpClient _admin = null!;
    private EnigmClient _alice = null!;
    private EnigmClient _bob = null!;

    private OrganisationKey Organisation => OrganisationKey.FromRaw([.. _orgKey.PublicKey]);

    public async Task InitializeAsync()
    {
        _relay = await TestRelay.StartAsync();
        _admin = new HttpClient { BaseAddress = new Uri(_relay.Server.AdminUrls[0]) };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(_relay.Server.AdminCredentialPath!).Trim());
        _alice = await _devices.CreateAsync("alice", _relay.Url);
        _bob = await _devices.CreateAsync("bob", _relay.Url);
        await _alice.AddContactAsync("bob", _bob.Account);
        await _bob.AddContactAsync("alice", _alice.Account);
        Assert.True((await _admin.PutAsync(PolicyRoutes.AdminKey, Cbor(Organisation.Encoded))).IsSuccessStatusCode);
        await SetPolicyAsync(1, "2.0.0");
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        _bob.Dispose();
        _admin.Dispose();
        await _relay.DisposeAsync();
        _devices.Dispose();
        _orgKey.Dispose();
        _otherKey.Dispose();
    }

    [Fact]
    public async Task An_old_client_is_restricted_cannot_send_but_receives_and_an_update_restores_it()
    {
        var published = await _alice.PublishPostureAsync(new PostureFacts { ClientVersion = "1.0.0" });
        Assert.Equal("restricted", published.State);

        // Refused by the device itself, from the policy it verified (the relay would refuse this identified submit too).
        var refused = await Assert.ThrowsAsync<DeviceRestrictedException>(() => _alice.SendTextAsync("bob", "blocked"));
        Assert.Contains("below the minimum 2.0.0", refused.Message, StringComparison.Ordinal);

        await _bob.SendTextAsync("alice", "still reaches a restricted device");
        var received = await _alice.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(received.Messages, m => m.Text == "still reaches a restricted device");

        var status = await _alice.CheckOrganisationAsync();
        Assert.Equal(Organisation.Id, status.Organisation);
        Assert.Equal(1UL, status.Policy!.Version);
        Assert.Equal("restricted", status.RelayState);
        Assert.Equal(ComplianceState.Restricted, status.ExpectedState.State);
        Assert.True(status.RelayClaimSupported);

        Assert.Equal("compliant", (await _alice.PublishPostureAsync(new PostureFacts { ClientVersion = "2.0.1" })).State);
        await _alice.SendTextAsync("bob", "back in policy");
    }

    [Fact]
    public async Task Rejects_a_policy_not_signed_by_the_organisation_key()
    {
        await _alice.CheckOrganisationAsync();
        var forged = PolicyEncoding.Sign(Policy(5, "9.0.0"), Sign(_otherKey));
        Execute("UPDATE org_policy SET signed = $p0, version = 5", forged);

        await Assert.ThrowsAsync<PolicyNotSignedByOrganisationException>(() => _alice.CheckOrganisationAsync());
    }

    [Fact]
    public async Task Rejects_a_rolled_back_policy_version()
    {
        var v1 = await _relay.Store.Policy.GetPolicyAsync();
        await SetPolicyAsync(2, "2.5.0");
        Assert.Equal(2UL, (await _alice.CheckOrganisationAsync()).Policy!.Version);
        Execute("UPDATE org_policy SET signed = $p0, version = 1", v1!.Signed);

        var e = await Assert.ThrowsAsync<PolicyRollbackException>(() => _alice.CheckOrganisationAsync());
        Assert.Equal(2UL, e.Seen);
    }

    [Fact]
    public async Task Rejects_an_edited_or_cut_admin_audit_log()
    {
        await SetPolicyAsync(2, "2.0.0");
        await _alice.CheckOrganisationAsync();
        Execute("UPDATE admin_audit SET time_ms = time_ms + 1 WHERE sequence = 1");
        await Assert.ThrowsAsync<AdminAuditLogInvalidException>(() => _alice.CheckOrganisationAsync());
    }

    [Fact]
    public async Task Rejects_an_admin_audit_log_cut_below_the_head_seen()
    {
        await SetPolicyAsync(2, "2.0.0");
        await _alice.CheckOrganisationAsync();
        Execute("DELETE FROM admin_audit WHERE sequence = 2");
        var e = await Assert.ThrowsAsync<AdminAuditLogInvalidException>(() => _alice.CheckOrganisationAsync());
        Assert.Contains("rolled back", e.Message, StringComparison.Ordinal);
    }

    private OrganisationPolicy Policy(ulong version, string minClient) =>
        new(Organisation.Id, version, DateTimeOffset.UtcNow, minClient, null, [], null, null, false);

    private async Task SetPolicyAsync(ulong version, string minClient)
    {
        var head = (await (await _admin.GetAsync(PolicyRoutes.AdminAuditHead)).Content.ReadFromJsonAsync(PolicyJson.Default.AuditHeadResponse))!;
        var signed = PolicyEncoding.Sign(Policy(version, minClient), Sign(_orgKey));
        var action = new AdminAction(Organisation.Id, AdminActionKind.SetPolicy, "", "", "v" + version, DateTimeOffset.UtcNow, version, SHA256.HashData(signed), Convert.FromHexString(head.Hash));
        var response = await _admin.PutAsync(PolicyRoutes.AdminPolicy, Cbor(OrgAdminApi.PolicyRequest(signed, AdminActionEncoding.Sign(action, Sign(_orgKey)))));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private void Execute(string sql, params object[] values)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_relay.Folder, "relay.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue("$p" + i, values[i]);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static Func<byte[], byte[]> Sign(PrivateKey key) =>
        message => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).Sign(key, message);

    private static ByteArrayContent Cbor(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return content;
    }
}
