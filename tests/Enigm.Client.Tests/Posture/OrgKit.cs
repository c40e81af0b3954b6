using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Relay.Policy;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;
using Xunit;

namespace Enigm.Client.Tests.Posture;

/// <summary>
/// The organisation's side for the client tests, where its key lives (what <c>enigm org</c> does): registers the key on
/// a relay's admin API, signs policies and device actions linked to the admin audit log's head, and sends them.
/// </summary>
internal sealed class OrgKit : IDisposable
{
    private readonly HttpClient _admin;
    private readonly PrivateKey _key = CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).GenerateKey();

    public OrgKit(Uri adminUrl, string credential)
    {
        _admin = new HttpClient { BaseAddress = adminUrl };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential.Trim());
    }

    public OrganisationKey Organisation => OrganisationKey.FromRaw([.. _key.PublicKey]);

    public async Task RegisterAsync() => await OkAsync(await _admin.PutAsync(PolicyRoutes.AdminKey, Cbor(Organisation.Encoded)));

    public async Task SetPolicyAsync(ulong version, string minClient)
    {
        var signed = PolicyEncoding.Sign(new OrganisationPolicy(Organisation.Id, version, DateTimeOffset.UtcNow, minClient, null, [], null, null, false), Sign);
        var action = new AdminAction(Organisation.Id, AdminActionKind.SetPolicy, "", "", "v" + version, DateTimeOffset.UtcNow, version, SHA256.HashData(signed), await HeadAsync());
        await OkAsync(await _admin.PutAsync(PolicyRoutes.AdminPolicy, Cbor(OrgAdminApi.PolicyRequest(signed, AdminActionEncoding.Sign(action, Sign)))));
    }

    public async Task ActAsync(AdminActionKind kind, EnigmClient device, string reason)
    {
        var action = new AdminAction(Organisation.Id, kind, device.Account, device.DeviceId, reason, DateTimeOffset.UtcNow, 0, [], await HeadAsync());
        await OkAsync(await _admin.PostAsync(PolicyRoutes.AdminActions, Cbor(AdminActionEncoding.Sign(action, Sign))));
    }

    public void Dispose()
    {
        _admin.Dispose();
        _key.Dispose();
    }

    private byte[] Sign(byte[] message) => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519).Sign(_key, message);

    private async Task<byte[]> HeadAsync() =>
        Convert.FromHexString((await _admin.GetFromJsonAsync(PolicyRoutes.AdminAuditHead, PolicyJson.Default.AuditHeadResponse))!.Hash);

    private static async Task OkAsync(HttpResponseMessage response)
    {
        using (response) Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static ByteArrayContent Cbor(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return content;
    }
}

/// <summary>
/// A device that never learns about its organisation: every organisation route answers 404 <c>no-organisation</c>, as
/// if the relay had none. It stands for a modified client that skips the local check (the relay cannot refuse its
/// sealed messages), which is what the recipients' own check exists for. Every other request goes to the relay.
/// </summary>
internal sealed class OrganisationHidingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath.StartsWith("/v1/org/", StringComparison.Ordinal) != true) return base.SendAsync(request, cancellationToken);
        var problem = """{"type":"https://enigm.dev/problems/no-organisation","title":"Not found","status":404,"code":"no-organisation"}""";
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent(problem, Encoding.UTF8, "application/problem+json"),
        });
    }
}
