using System.Net.Http.Headers;
using System.Net.Http.Json;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Commands.Org;
using Enigm.Keys;
using Enigm.Relay.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Demo;

/// <summary>
/// The organisation administrator's side of the trust-center chapter, on <c>enigm org</c>'s code path: the organisation
/// key is made in its own Enigm.Keys store off the relay (<c>enigm org init</c>: <see cref="KeyStoreSession.Create"/>, a
/// composite id-MLDSA65-Ed25519-SHA512 key, the <see cref="OrgSession.KeyIdRecord"/> record), only its public key goes
/// to the relay's admin API, and policies are signed here and linked to the admin audit log's head
/// (<c>enigm org policy set</c>, docs/policy.md "Formats"). The relay never holds the private key.
/// </summary>
internal sealed class TrustCenterOrganisation : IDisposable
{
    private readonly KeyRing _ring;
    private readonly string _keyId;
    private readonly HttpClient _admin;

    private TrustCenterOrganisation(KeyRing ring, string keyId, OrganisationKey key, HttpClient admin)
    {
        _ring = ring;
        _keyId = keyId;
        Key = key;
        _admin = admin;
    }

    public OrganisationKey Key { get; }

    /// <summary>The key store file (outside the relay's data folder).</summary>
    public string StorePath => _ring.StorePath;

    /// <summary><c>enigm org init --no-register</c>: a new key store in <paramref name="home"/> holding the organisation key.</summary>
    public static TrustCenterOrganisation Create(string home, HttpClient admin, CancellationToken cancellation)
    {
        var ring = KeyStoreSession.Create(home, RelayChapter.Protector(cancellation));
        try
        {
            var (keyId, key) = OrgSession.CreateKey(ring);
            return new TrustCenterOrganisation(ring, keyId, key, admin);
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    /// <summary><c>enigm org init --register-only</c>: PUT the public key (the relay accepts one organisation key, once).</summary>
    public Task<HttpResponseMessage> RegisterAsync(byte[] encodedKey, CancellationToken ct) =>
        _admin.PutAsync(PolicyRoutes.AdminKey, Cbor(encodedKey), ct);

    /// <summary><c>enigm org policy set --version V --min-client M</c>: signs the policy and its set-policy action, uploads both.</summary>
    public async Task<AdminActionResponse> SetPolicyAsync(ulong version, string minClient, string reason, CancellationToken ct)
    {
        var head = await _admin.GetFromJsonAsync(PolicyRoutes.AdminAuditHead, PolicyJson.Default.AuditHeadResponse, ct)
            ?? throw new InvalidOperationException("the relay answered no audit head");
        var policy = new OrganisationPolicy(Key.Id, version, DateTimeOffset.UtcNow, minClient, null, [], null, null, RequireContactVerification: false);
        using var response = await _admin.PutAsync(PolicyRoutes.AdminPolicy, Cbor(OrgSession.SignedPolicyRequest(_ring, _keyId, Key, policy, reason, head.Hash)), ct);
        return await ReadAsync(response, PolicyJson.Default.AdminActionResponse, ct);
    }

    /// <summary>The relay's evaluation of every managed device (<c>enigm org devices</c>).</summary>
    public async Task<ManagedDevice[]> DevicesAsync(CancellationToken ct)
    {
        using var response = await _admin.GetAsync(PolicyRoutes.AdminDevices, ct);
        return await ReadAsync(response, PolicyJson.Default.ManagedDeviceArray, ct);
    }

    public void Dispose() => _ring.Dispose();

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"the relay's admin API answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        return System.Text.Json.JsonSerializer.Deserialize(body, type) ?? throw new InvalidOperationException("the relay's admin API answered null");
    }

    private static ByteArrayContent Cbor(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        return content;
    }
}
