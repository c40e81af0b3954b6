using Enigm.Server.Hosting;
using Enigm.Server.Http;
using Enigm.Server.Storage;
using Microsoft.AspNetCore.Http;

namespace Enigm.Server.Console;

/// <summary>The console's actions on the existing admin store operations (the same effects as the admin API's).</summary>
public static class ConsoleActions
{
    public const int MaxFieldLength = 4096;

    public static IReadOnlyDictionary<string, ConsoleAction> All { get; } = new[] { DisableAccount(), ConsoleUpload.Action() }.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>The longest value of a field: <see cref="MaxFieldLength"/>, except the signed document of an upload (<see cref="Policy.OrgDocuments.MaxChars"/>).</summary>
    public static int MaxLengthOf(string action, string field) =>
        action == ConsoleUpload.Name && field == ConsoleUpload.TextField ? Policy.OrgDocuments.MaxChars : MaxFieldLength;

    /// <summary>The form limit of an action's post: larger only for the upload, whose document is up to ~44 KB of text.</summary>
    public static int MaxFormBytesOf(string? action) => action == ConsoleUpload.Name ? ConsoleGuard.MaxDocumentFormBytes : ConsoleGuard.MaxFormBytes;

    private static string Field(IFormCollection form, string name) => form[name].ToString().Trim();

    /// <summary>As <c>POST /admin/v1/accounts/{account}/disable</c>: the account's tokens are revoked and its connections closed.</summary>
    private static ConsoleAction DisableAccount() => new(
        "disable-account", "Disable the account", ["account"],
        f => $"Disable account {Field(f, "account")}: its devices can no longer sign in, send or receive on this relay. Its stored data stays.",
        async (state, f, ct) =>
        {
            var account = RequestValidation.Account(Field(f, "account"));
            if (await state.Store.GetAccountAsync(account, ct) is null) return $"No account {account} on this relay.";
            await state.Store.SetDisabledAsync(account, true, ct);
            await state.Store.RevokeTokensAsync(account, null, CancellationToken.None);
            await state.Store.PublishAsync(new RelaySignal(RelaySignalKind.AccountDisabled, account, null), CancellationToken.None);
            return $"Account {account} is disabled.";
        });
}
