using System.CommandLine;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Enigm.Cli.Commands.Keys;
using Enigm.Cli.Output;
using Enigm.Client.Errors;
using Enigm.Crypto.Algorithms;
using Enigm.Keys;
using Enigm.Keys.Model;
using Enigm.Relay;
using Enigm.Server.Policy;
using Enigm.Trust.Policy;

namespace Enigm.Cli.Commands.Org;

/// <summary>
/// What every <c>enigm org</c> command shares: the organisation key store (<c>--org-home</c>, else
/// <c>$ENIGM_ORG_HOME</c>, else <c>~/.enigm-org</c>; an Enigm.Keys store, unlocked like <c>enigm keys</c>), the relay's
/// admin listener (<c>--admin</c>) and its credential (<c>--admin-credential FILE</c>, else <c>$ENIGM_ADMIN_CREDENTIAL</c>).
/// </summary>
internal sealed class OrgSession : IDisposable
{
    /// <summary>The protected record naming the organisation key in the org key store.</summary>
    public const string KeyIdRecord = "org/key-id";

    public static readonly Option<string?> OrgHome = new("--org-home") { Description = "Organisation key store folder (default: $ENIGM_ORG_HOME, else ~/.enigm-org).", Recursive = true };

    public static readonly Option<string> Admin = new("--admin") { Description = "The relay's admin listener URL.", DefaultValueFactory = _ => "http://127.0.0.1:8081", Recursive = true };

    public static readonly Option<string?> Credential = new("--admin-credential") { Description = "File holding the admin credential (default: $ENIGM_ADMIN_CREDENTIAL).", Recursive = true };

    private readonly HttpClient _http;

    private OrgSession(HttpClient http) => _http = http;

    public static string ResolveHome(string? home) =>
        !string.IsNullOrEmpty(home) ? home
        : Environment.GetEnvironmentVariable("ENIGM_ORG_HOME") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".enigm-org");

    public static OrgSession Connect(ParseResult parse)
    {
        if (!Uri.TryCreate(parse.GetValue(Admin)!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new UsageException($"--admin '{parse.GetValue(Admin)}' is not an http:// or https:// URL");
        var credential = parse.GetValue(Credential) is { Length: > 0 } file
            ? ReadCredential(file)
            : Environment.GetEnvironmentVariable("ENIGM_ADMIN_CREDENTIAL") ?? throw new UsageException("give --admin-credential FILE or set ENIGM_ADMIN_CREDENTIAL");
        var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", credential.Trim());
        return new OrgSession(http);
    }

    /// <summary><c>enigm org init</c>'s key: one composite id-MLDSA65-Ed25519-SHA512 key in <paramref name="ring"/>, named by <see cref="KeyIdRecord"/>.</summary>
    public static (string KeyId, OrganisationKey Key) CreateKey(KeyRing ring)
    {
        var record = ring.Generate(KeyPurpose.DeviceSigning, SignatureAlgorithm.MlDsa65Ed25519, reason: "organisation admin key");
        ring.Records.Put(KeyIdRecord, System.Text.Encoding.UTF8.GetBytes(record.Id));
        return (record.Id, OrganisationKey.FromRaw(record.PublicKey));
    }

    /// <summary>
    /// <c>enigm org policy set</c>'s upload body: <paramref name="policy"/> signed with the organisation key, and its
    /// set-policy action linked to the admin audit log's head <paramref name="auditHead"/> (docs/policy.md "Formats").
    /// </summary>
    public static byte[] SignedPolicyRequest(KeyRing ring, string keyId, OrganisationKey key, OrganisationPolicy policy, string reason, string auditHead)
    {
        var (signed, action) = SignPolicy(ring, keyId, key, policy, reason, Convert.FromHexString(auditHead), DateTimeOffset.UtcNow);
        return OrgAdminApi.PolicyRequest(signed, action);
    }

    /// <summary>
    /// Signs <paramref name="policy"/> and its set-policy action (issued at <paramref name="issuedAt"/>, linked to the
    /// audit head <paramref name="auditHead"/>, naming the SHA-256 of the signed policy): what <c>policy set</c> uploads
    /// and <c>enigm org sign</c> writes.
    /// </summary>
    public static (byte[] Policy, byte[] Action) SignPolicy(KeyRing ring, string keyId, OrganisationKey key, OrganisationPolicy policy, string reason, byte[] auditHead, DateTimeOffset issuedAt)
    {
        var signer = OrgActionCommand.Signer(ring, keyId);
        var signed = PolicyEncoding.Sign(policy, signer, key.SuiteId);
        var action = new AdminAction(key.Id, AdminActionKind.SetPolicy, "", "", reason, issuedAt, policy.Version, SHA256.HashData(signed), auditHead);
        return (signed, AdminActionEncoding.Sign(action, signer, key.SuiteId));
    }

    /// <summary>A restrict, lift-restriction or revoke signed with the organisation key (<c>enigm org restrict|lift|revoke</c> and <c>enigm org sign</c>).</summary>
    public static byte[] SignAction(KeyRing ring, string keyId, OrganisationKey key, AdminAction action) =>
        AdminActionEncoding.Sign(action, OrgActionCommand.Signer(ring, keyId), key.SuiteId);

    /// <summary>Opens the organisation key store and names its organisation key (exit 122 when there is none).</summary>
    public static (KeyRing Ring, string KeyId, OrganisationKey Key) OpenKey(ParseResult parse)
    {
        var ring = KeyStoreSession.Open(ResolveHome(parse.GetValue(OrgHome)));
        try
        {
            var id = ring.Records.Get(KeyIdRecord) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : throw new OrganisationKeyException("This key store holds no organisation key (enigm org init).");
            return (ring, id, OrganisationKey.FromRaw(ring.Get(id).PublicKey));
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    public async Task<byte[]> GetBytesAsync(string route, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, route, null, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    public async Task<T> GetJsonAsync<T>(string route, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, route, null, ct);
        return JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(ct), type) ?? throw new RelayRejectedException("The relay answered JSON null.", null, null);
    }

    public async Task<T?> SendBytesAsync<T>(HttpMethod method, string route, byte[] body, JsonTypeInfo<T>? type, CancellationToken ct)
    {
        using var response = await SendAsync(method, route, body, ct);
        if (type is null || response.StatusCode == System.Net.HttpStatusCode.NoContent) return default;
        return JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(ct), type);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string route, byte[]? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, route);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cbor");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new RelayUnavailableException($"The relay's admin listener at {_http.BaseAddress} cannot be reached: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RelayUnavailableException($"The relay's admin listener at {_http.BaseAddress} did not answer in time.", inner: e);
        }

        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await ProblemAsync(response, ct);
        }
    }

    private static async Task<Exception> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        ProblemBody? problem = null;
        try
        {
            problem = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(ct), RelayJson.Default.ProblemBody);
        }
        catch (JsonException)
        {
            // Reported by status.
        }

        var message = $"The relay refused the request ({problem?.Code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture)}): {problem?.Detail ?? problem?.Title ?? response.ReasonPhrase}";
        return problem?.Code switch
        {
            Relay.Policy.PolicyProblem.NotSignedByOrganisation => new OrganisationKeyException(message),
            _ when status == 401 => new RelayAuthenticationException(message, problem?.Code, status),
            _ when status == 404 => new RelayNotFoundException(message, problem?.Code, status),
            _ when status >= 500 => new RelayUnavailableException(message, problem?.Code, status),
            _ => new RelayRejectedException(message, problem?.Code, status),
        };
    }

    private static string ReadCredential(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read --admin-credential {file}: {e.Message}");
        }
    }
}
