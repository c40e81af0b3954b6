using Enigm.Relay;
using Enigm.Server.Accounts;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Limits;
using Enigm.Server.Storage;
using Enigm.Server.Transparency;
using Enigm.Trust.DeviceLog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Enigm.Server.Apis;

/// <summary>
/// The account directory: create an account from a verified genesis log, read an account's log with its transparency
/// proof, and append to it (verified by Enigm.Trust, forks and rollbacks refused, compare-and-swap in the store). Every
/// accepted head becomes a leaf of the transparency log; a revocation drops the revoked device's tokens at once.
/// </summary>
public static class DirectoryApi
{
    /// <summary>A base64 device log of <see cref="RelayLimits.MaxDeviceLogBytes"/> plus the JSON around it.</summary>
    public const int MaxBodyBytes = (RelayLimits.MaxDeviceLogBytes / 3 * 4) + 4096;

    public static void Map(IEndpointRouteBuilder app, RelayState state)
    {
        app.MapPost(RelayRoutes.Accounts, context => CreateAsync(context, state));
        app.MapGet(RelayRoutes.AccountLog, context => GetLogAsync(context, state));
        app.MapPost(RelayRoutes.AccountLog, context => AppendAsync(context, state));
    }

    private static async Task CreateAsync(HttpContext context, RelayState state)
    {
        Throttle.ByAddress(context, state);
        var request = await JsonBodies.ReadAsync(context, RelayJson.Default.CreateAccountRequest, MaxBodyBytes);
        var log = RequestValidation.DeviceLog(request.DeviceLog);
        TrustedDeviceSet trusted;
        try
        {
            trusted = state.Logs.Verify(log);
        }
        catch (EnigmException e)
        {
            throw new RelayProblemException(422, RelayProblem.LogInvalid, "the device log does not verify: " + e.Message);
        }

        if (trusted.Head.Sequence != 0)
            throw new RelayProblemException(422, RelayProblem.LogInvalid, "an account is created from a log holding only its genesis entry");
        var account = trusted.Account.Hex;
        if (!await state.Store.CreateAccountAsync(account, log, DeviceLogAppend.Devices(trusted), state.Now, context.RequestAborted))
            throw new RelayProblemException(409, RelayProblem.AccountExists, "an account with this genesis exists");
        await state.Transparency.AppendAsync(trusted.Account, trusted.Head, CancellationToken.None);
        await state.Store.MarkHeadLoggedAsync(account, 1, CancellationToken.None);
        await WriteLogAsync(context, state, account, log, 201);
    }

    private static async Task GetLogAsync(HttpContext context, RelayState state)
    {
        await RelayAuthenticator.AuthenticateAsync(context, state);
        var account = RequestValidation.Account(context.Request.RouteValues["account"] as string);
        var stored = await state.Store.GetAccountAsync(account, context.RequestAborted)
            ?? throw new RelayProblemException(404, RelayProblem.UnknownAccount, "no account with this id");
        await WriteLogAsync(context, state, account, stored.DeviceLog, 200);
    }

    private static async Task AppendAsync(HttpContext context, RelayState state)
    {
        var caller = await RelayAuthenticator.AuthenticateAsync(context, state);
        var account = RequestValidation.Account(context.Request.RouteValues["account"] as string);
        if (account != caller.Account) throw RelayProblemException.Forbidden("only a device of the account appends to its log");
        var request = await JsonBodies.ReadAsync(context, RelayJson.Default.AppendLogRequest, MaxBodyBytes);
        var log = RequestValidation.DeviceLog(request.DeviceLog);
        var stored = caller.Stored;
        var trusted = DeviceLogAppend.Check(stored, log, state.Logs, out var entries, out var unchanged);
        if (!unchanged)
        {
            if (!await state.Store.ReplaceDeviceLogAsync(account, stored.LogEntries, log, entries.Count, DeviceLogAppend.Devices(trusted), context.RequestAborted))
                throw new RelayProblemException(409, RelayProblem.LogFork, "another append changed the log first; fetch the log and append to it");
            await state.Transparency.AppendAsync(trusted.Account, trusted.Head, CancellationToken.None);
            await state.Store.MarkHeadLoggedAsync(account, entries.Count, CancellationToken.None);
            await DropRevokedAsync(state, stored, trusted);
        }

        await WriteLogAsync(context, state, account, log, 200);
    }

    /// <summary>Devices this append revoked lose their tokens and delivery connections on every node.</summary>
    private static async Task DropRevokedAsync(RelayState state, StoredAccount before, TrustedDeviceSet after)
    {
        foreach (var revoked in after.RevokedDevices)
        {
            if (before.Devices.Any(d => d.Device == revoked.Id && d.Revoked)) continue;
            await state.Store.RevokeTokensAsync(before.Account, revoked.Id, CancellationToken.None);
            await state.Store.PublishAsync(new RelaySignal(RelaySignalKind.DeviceRevoked, before.Account, revoked.Id), CancellationToken.None);
        }
    }

    private static async Task WriteLogAsync(HttpContext context, RelayState state, string account, byte[] log, int status)
    {
        var leaf = await state.Store.LatestLeafAsync(account, context.RequestAborted);
        // No leaf: a relay died between storing this log and logging its head; log it now (TransparencyRepair).
        if (leaf is null && await TransparencyRepair.LogStoredHeadAsync(state, account, context.RequestAborted))
            leaf = await state.Store.LatestLeafAsync(account, context.RequestAborted);
        var head = state.Transparency.CurrentHead();
        long index = -1;
        byte[][] path = [];
        if (leaf is { } l && l.Index < head.TreeSize)
        {
            index = l.Index;
            path = [.. state.Transparency.Inclusion(l.Index, head.TreeSize).Path];
        }

        await JsonBodies.WriteAsync(context, status, new DeviceLogResponse(account, log, index, head.Encode(), path), RelayJson.Default.DeviceLogResponse);
    }
}
