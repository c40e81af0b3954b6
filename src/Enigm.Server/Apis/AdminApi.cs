using System.Security.Cryptography;
using System.Text;
using Enigm.Relay;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// The admin API, mapped only on the admin listener and guarded by its own bearer credential (compared in constant
/// time). It reads metadata (accounts, devices, queue depths, storage stats) and can disable an account; by
/// construction it has no route that returns a message body or adds a device.
/// </summary>
public static class AdminApi
{
    public const int MaxListedAccounts = 1000;

    public static void Map(IEndpointRouteBuilder app, RelayState state, byte[] credential)
    {
        app.MapGet(RelayRoutes.AdminAccounts, context => Guarded(context, credential, () => ListAsync(context, state)));
        app.MapGet(RelayRoutes.AdminAccount, context => Guarded(context, credential, () => AccountAsync(context, state)));
        app.MapPost(RelayRoutes.AdminDisableAccount, context => Guarded(context, credential, () => DisableAsync(context, state)));
        app.MapGet(RelayRoutes.AdminStats, context => Guarded(context, credential, () => StatsAsync(context, state)));
        Policy.OrgAdminApi.Map(app, state, (context, handler) => Guarded(context, credential, handler)); // issue 14: organisation routes
    }

    private static Task Guarded(HttpContext context, byte[] credential, Func<Task> handler)
    {
        var presented = Encoding.UTF8.GetBytes(Auth.RelayAuthenticator.BearerToken(context) ?? "");
        var ok = CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), SHA256.HashData(credential));
        CryptographicOperations.ZeroMemory(presented);
        return ok ? handler() : throw RelayProblemException.Unauthenticated("send Authorization: Bearer <admin credential>");
    }

    private static async Task ListAsync(HttpContext context, RelayState state)
    {
        var limit = (int)MailboxApi.QueryLong(context, "limit", 100, 1, MaxListedAccounts);
        var after = context.Request.Query["after"] is { Count: 1 } a ? RequestValidation.Account(a[0], "after") : null;
        var accounts = await state.Store.ListAccountsAsync(limit, after, context.RequestAborted);
        var result = new List<AdminAccount>(accounts.Count);
        foreach (var account in accounts) result.Add(await DescribeAsync(state, account, context.RequestAborted));
        await JsonBodies.WriteAsync(context, 200, result.ToArray(), RelayJson.Default.AdminAccountArray);
    }

    private static async Task AccountAsync(HttpContext context, RelayState state)
    {
        var stored = await LoadAsync(context, state);
        await JsonBodies.WriteAsync(context, 200, await DescribeAsync(state, stored, context.RequestAborted), RelayJson.Default.AdminAccount);
    }

    private static async Task DisableAsync(HttpContext context, RelayState state)
    {
        var stored = await LoadAsync(context, state);
        await state.Store.SetDisabledAsync(stored.Account, true, context.RequestAborted);
        await state.Store.RevokeTokensAsync(stored.Account, null, CancellationToken.None);
        await state.Store.PublishAsync(new RelaySignal(RelaySignalKind.AccountDisabled, stored.Account, null), CancellationToken.None);
        context.Response.StatusCode = 204;
    }

    private static async Task StatsAsync(HttpContext context, RelayState state) =>
        await JsonBodies.WriteAsync(context, 200, await state.Store.StatsAsync(context.RequestAborted), RelayJson.Default.AdminStats);

    private static async Task<StoredAccount> LoadAsync(HttpContext context, RelayState state)
    {
        var account = RequestValidation.Account(context.Request.RouteValues["account"] as string);
        return await state.Store.GetAccountAsync(account, context.RequestAborted)
            ?? throw new RelayProblemException(404, RelayProblem.UnknownAccount, "no account with this id");
    }

    /// <summary>Metadata only: ids, flags and counts. The log itself and any mailbox content stay out.</summary>
    private static async Task<AdminAccount> DescribeAsync(RelayState state, StoredAccount account, CancellationToken ct)
    {
        var devices = new List<AdminDevice>(account.Devices.Count);
        foreach (var device in account.Devices)
        {
            var (messages, bytes) = await state.Store.MailboxDepthAsync(account.Account, device.Device, ct);
            var prekeys = await state.Store.CountPrekeysAsync(account.Account, device.Device, ct);
            devices.Add(new AdminDevice(device.Device, device.Revoked, messages, bytes, prekeys.OneTimePrekeys, prekeys.OneTimeKemPrekeys));
        }

        return new AdminAccount(account.Account, account.CreatedAt, account.Disabled, account.LogEntries, [.. devices]);
    }
}
