using System.Security.Cryptography;
using System.Text;
using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Auth;

/// <summary>An authenticated request: the device, its account as stored when the request arrived, and when the token expires.</summary>
public sealed record Caller(string Account, string Device, StoredAccount Stored, DateTimeOffset TokenExpiresAt);

/// <summary>
/// Bearer-token checks, run on every authenticated request: the token is looked up by its SHA-256 (the store never
/// holds a usable token, and every node sees every token), then the account and device are re-read so a revoked device
/// or a disabled account is refused at once, even with a token issued before.
/// </summary>
public static class RelayAuthenticator
{
    public const int MaxTokenLength = 128;

    public static async Task<Caller> AuthenticateAsync(HttpContext context, RelayState state, string? token = null)
    {
        token ??= BearerToken(context) ?? throw RelayProblemException.Unauthenticated("send Authorization: Bearer <token> from " + RelayRoutes.Token);
        if (token.Length is 0 or > MaxTokenLength) throw RelayProblemException.Unauthenticated("the token is not one this relay issued");
        return await AuthenticateHashAsync(state, Hash(token), context.RequestAborted);
    }

    /// <summary>
    /// The per-request checks for a token known by its <see cref="Hash"/>: it is stored and unexpired, its device active
    /// and its account enabled. The delivery WebSocket runs this for every submit frame, as HTTP does for every request.
    /// </summary>
    public static async Task<Caller> AuthenticateHashAsync(RelayState state, byte[] tokenHash, CancellationToken ct)
    {
        var owner = await state.Store.LookupTokenAsync(tokenHash, state.Now, ct)
            ?? throw RelayProblemException.Unauthenticated("the token is unknown or expired; get a new one from " + RelayRoutes.Token);
        var stored = await RequireActiveDeviceAsync(state, owner.Account, owner.Device, ct, unauthenticatedIfMissing: true);
        return new Caller(owner.Account, owner.Device, stored, owner.ExpiresAt);
    }

    /// <summary>The account, refusing a disabled account (403 account-disabled) and a device that is revoked or unknown.</summary>
    public static async Task<StoredAccount> RequireActiveDeviceAsync(RelayState state, string account, string device, CancellationToken ct, bool unauthenticatedIfMissing = false)
    {
        var stored = await state.Store.GetAccountAsync(account, ct);
        if (stored is null)
        {
            throw unauthenticatedIfMissing
                ? RelayProblemException.Unauthenticated("the token's account no longer exists")
                : new RelayProblemException(404, RelayProblem.UnknownAccount, "no account with this id");
        }

        if (stored.Disabled) throw new RelayProblemException(403, RelayProblem.AccountDisabled, "the account is disabled");
        var entry = stored.Devices.FirstOrDefault(d => d.Device == device);
        if (entry is null) throw new RelayProblemException(404, RelayProblem.UnknownDevice, "the account's device log has no such device");
        if (entry.Revoked) throw new RelayProblemException(403, RelayProblem.DeviceRevoked, "the device is revoked in the account's device log");
        return stored;
    }

    /// <summary>SHA-256 of the token's UTF-8 bytes: how tokens (and challenges, by their bytes) are stored.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }
}
