using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Relay.Policy;
using Enigm.Server.Policy;
using Enigm.Server.Tests.Http;
using Enigm.Trust.Policy;
using Enigm.Trust.Posture;
using Xunit;

namespace Enigm.Server.Tests.Policy;

/// <summary>An organisation admin for the policy tests: its composite key, and the signed requests `enigm org` sends.</summary>
public sealed class OrgKit(RelayFixture relay) : IDisposable
{
    public PrivateKey Key { get; } = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();

    public OrganisationKey Organisation => OrganisationKey.FromRaw([.. Key.PublicKey]);

    public Func<byte[], byte[]> Signer => Sign(Key);

    public static Func<byte[], byte[]> Sign(PrivateKey key) =>
        message => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).Sign(key, message);

    public static OrganisationPolicy Policy(OrganisationKey org, ulong version, string minClient = "2.0.0") => new(
        org.Id, version, DateTimeOffset.UtcNow, minClient, null, [], null, null, RequireContactVerification: false);

    public async Task InitAsync()
    {
        var response = await relay.Admin.PutAsync(PolicyRoutes.AdminKey, Bytes(Organisation.Encoded));
        Assert.Equal(204, (int)response.StatusCode);
    }

    public async Task<byte[]> HeadAsync()
    {
        var head = await RelayAssert.Ok(await relay.Admin.GetAsync(PolicyRoutes.AdminAuditHead), PolicyJson.Default.AuditHeadResponse);
        return Convert.FromHexString(head.Hash);
    }

    public async Task<HttpResponseMessage> PutPolicyAsync(OrganisationPolicy policy, Func<byte[], byte[]>? signer = null, byte[]? previous = null)
    {
        var signed = PolicyEncoding.Sign(policy, signer ?? Signer);
        var action = new AdminAction(Organisation.Id, AdminActionKind.SetPolicy, "", "", "policy v" + policy.Version, DateTimeOffset.UtcNow,
            policy.Version, SHA256.HashData(signed), previous ?? await HeadAsync());
        return await relay.Admin.PutAsync(PolicyRoutes.AdminPolicy, Bytes(OrgAdminApi.PolicyRequest(signed, AdminActionEncoding.Sign(action, Signer))));
    }

    public async Task<HttpResponseMessage> ActAsync(AdminActionKind kind, string account, string device, string reason = "test", Func<byte[], byte[]>? signer = null, byte[]? previous = null)
    {
        var action = new AdminAction(Organisation.Id, kind, account, device, reason, DateTimeOffset.UtcNow, 0, [], previous ?? await HeadAsync());
        return await relay.Admin.PostAsync(PolicyRoutes.AdminActions, Bytes(AdminActionEncoding.Sign(action, signer ?? Signer)));
    }

    public static PostureStatement Posture(TestAccount account, string device, string clientVersion, DateTimeOffset? at = null) => new(
        account.Id, device, at ?? DateTimeOffset.UtcNow, clientVersion, "13.2", KeyProtectorKind.Passphrase,
        [new KeyAgeReport("device-signing", TimeSpan.FromDays(3), TimeSpan.FromDays(365), false, false)],
        clientVersion, DateTimeOffset.UtcNow, AuditLogCheck.Verified, 0, 0);

    public static Task<HttpResponseMessage> PublishAsync(HttpClient device, TestAccount account, string deviceId, PostureStatement posture) =>
        device.PutAsync(PolicyRoutes.Posture, Bytes(PostureEncoding.Sign(posture, Sign(account.Key(deviceId)))));

    public static ByteArrayContent Bytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return content;
    }

    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient sender, TestAccount to, string text = "hi") =>
        await sender.PostAsJsonAsync(Relay.RelayRoutes.Messages, new Relay.SubmitRequest(to.Id, [TestAccount.Message("phone", text)]), Relay.RelayJson.Default.SubmitRequest);

    public void Dispose() => Key.Dispose();
}
