using System.Security.Cryptography;
using Enigm.Relay;
using Enigm.Server.Auth;
using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Limits;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Apis;

/// <summary>
/// The multi-recipient submit (<see cref="RelayRoutes.MultiRecipientMessages"/>; Signal's multi-recipient sealed sender,
/// reduced to what a group message needs): one shared ciphertext, stored once, for devices of many accounts. The checks
/// are those of the single-recipient submit, per recipient account: who may submit (a bearer token, else every
/// recipient account's delivery token, so the relay learns no sender), each account exists and is enabled, and each is
/// listed with exactly its current devices (the sending device may leave itself out), with one 409 naming every
/// account's difference. Rate limits: the sending device's bucket once, or each recipient account's sealed bucket.
/// </summary>
public static class MultiRecipientSubmit
{
    public static async Task SubmitAsync(HttpContext context, RelayState state)
    {
        Caller? sender = null;
        if (RelayAuthenticator.BearerToken(context) is not null) sender = await RelayAuthenticator.AuthenticateAsync(context, state);

        var request = RequestValidation.Check(await JsonBodies.ReadAsync(context, RelayJson.Default.MultiRecipientSubmitRequest, RelayLimits.MaxRequestBytes));
        var byAccount = request.Recipients.ToLookup(r => r.Account, StringComparer.Ordinal);
        var accounts = byAccount.Select(g => g.Key).Order(StringComparer.Ordinal).ToArray();
        try
        {
            if (sender is null) await CheckAccessAsync(state, request, accounts, context.RequestAborted);
        }
        finally
        {
            foreach (var access in request.Access ?? []) CryptographicOperations.ZeroMemory(access.Token);
        }

        var mismatches = new List<AccountDevicesMismatch>();
        foreach (var account in accounts)
        {
            var stored = await state.Store.GetAccountAsync(account, context.RequestAborted)
                ?? throw new RelayProblemException(404, RelayProblem.UnknownAccount, $"no account {account}");
            if (stored.Disabled) throw new RelayProblemException(403, RelayProblem.AccountDisabled, $"the recipient account {account} is disabled");
            if (Difference(stored, byAccount[account].Select(r => r.Device), sender?.Account == account ? sender.Device : null) is { } mismatch) mismatches.Add(mismatch);
        }

        if (mismatches.Count > 0)
        {
            throw new RelayProblemException(409, RelayProblem.DevicesMismatch, "the recipients do not list each account's current devices", new DevicesMismatch(
                [.. mismatches.SelectMany(m => m.Missing.Select(d => m.Account + "/" + d))],
                [.. mismatches.SelectMany(m => m.Extra.Select(d => m.Account + "/" + d))],
                [.. mismatches]));
        }

        if (sender is not null) Throttle.Take(state.SenderBuckets, sender.Account + "/" + sender.Device, "this device");
        else
        {
            foreach (var account in accounts) Throttle.Take(state.RecipientBuckets, account, "sealed senders to this recipient");
        }

        var count = await state.Store.EnqueueSharedAsync(request.MessageId, request.Shared, request.Recipients, state.Now, context.RequestAborted);
        await JsonBodies.WriteAsync(context, 200, new SubmitResponse(count, state.Now), RelayJson.Default.SubmitResponse);
    }

    /// <summary>Sealed sender: every recipient account's delivery token must be present and match (401 otherwise).</summary>
    private static async Task CheckAccessAsync(RelayState state, MultiRecipientSubmitRequest request, string[] accounts, CancellationToken ct)
    {
        var tokens = (request.Access ?? []).ToDictionary(a => a.Account, a => a.Token, StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            if (!tokens.TryGetValue(account, out var token) || !await MessagesApi.DeliveryTokenMatchesAsync(state, account, token, ct))
                throw RelayProblemException.Unauthenticated($"no bearer token, and access holds no valid delivery token for {account}");
        }
    }

    /// <summary>The account's current devices against those listed (the sending device excepted); null when they are equal.</summary>
    private static AccountDevicesMismatch? Difference(StoredAccount account, IEnumerable<string> listed, string? sendingDevice)
    {
        var current = account.Devices.Where(d => !d.Revoked).Select(d => d.Device).ToHashSet(StringComparer.Ordinal);
        var submitted = listed.ToHashSet(StringComparer.Ordinal);
        if (sendingDevice is not null)
        {
            current.Remove(sendingDevice);
            submitted.Remove(sendingDevice);
        }

        if (current.SetEquals(submitted)) return null;
        return new AccountDevicesMismatch(account.Account,
            [.. current.Except(submitted).Order(StringComparer.Ordinal)],
            [.. submitted.Except(current).Order(StringComparer.Ordinal)]);
    }
}
