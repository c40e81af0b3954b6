using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Relay.Policy;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Center.Tests.Support;

/// <summary>
/// The organisation admin's side, where the organisation key lives (what <c>enigm org</c> does): registers the key on
/// the relay, signs policies and restrict actions linked to the admin audit log's head, and sends them over the admin
/// API. The relay and its console never hold this key.
/// </summary>
public sealed class OrganisationAdmin(Uri adminUrl) : IDisposable
{
    private readonly HttpClient _admin = new() { BaseAddress = adminUrl, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", TestRelay.AdminCredential) } };

    public PrivateKey Key { get; } = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();

    public OrganisationKey Organisation => OrganisationKey.FromRaw([.. Key.PublicKey]);

    private byte[] Sign(byte[] message) => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).Sign(Key, message);

    public async Task RegisterAsync() => Ok(await _admin.PutAsync(PolicyRoutes.AdminKey, Cbor(Organisation.Encoded)));

    public async Task SetPolicyAsync(ulong version, string minClient)
    {
        var policy = new OrganisationPolicy(Organisation.Id, version, DateTimeOffset.UtcNow, minClient, null, [], null, null, RequireContactVerification: false);
        var signed = PolicyEncoding.Sign(policy, Sign);
        var action = new AdminAction(Organisation.Id, AdminActionKind.SetPolicy, "", "", $"policy v{version}: minimum client {minClient}", DateTimeOffset.UtcNow,
            version, SHA256.HashData(signed), await HeadAsync());
        Ok(await _admin.PutAsync(PolicyRoutes.AdminPolicy, Cbor(OrgAdminApi.PolicyRequest(signed, AdminActionEncoding.Sign(action, Sign)))));
    }

    public async Task ActAsync(AdminActionKind kind, string account, string device, string reason)
    {
        var action = new AdminAction(Organisation.Id, kind, account, device, reason, DateTimeOffset.UtcNow, 0, [], await HeadAsync());
        Ok(await _admin.PostAsync(PolicyRoutes.AdminActions, Cbor(AdminActionEncoding.Sign(action, Sign))));
    }

    private async Task<byte[]> HeadAsync()
    {
        var head = await _admin.GetFromJsonAsync(PolicyRoutes.AdminAuditHead, PolicyJson.Default.AuditHeadResponse);
        return Convert.FromHexString(head!.Hash);
    }

    private static void Ok(HttpResponseMessage response)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"admin API answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }

    private static ByteArrayContent Cbor(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return content;
    }

    public void Dispose()
    {
        _admin.Dispose();
        Key.Dispose();
    }
}
