using System.Text;
using Enigm.Server.Hosting;

namespace Enigm.Server.Console;

/// <summary>
/// The console's front page: queue and storage health, then every account with its devices (revoked or not, queued
/// messages and bytes, prekeys left) and the actions that lower trust. Metadata only: ids, flags and counts, as the
/// admin API returns them; no device log, no mailbox content, no attachment.
/// </summary>
public static class ConsoleOverview
{
    public const int MaxAccounts = 200;

    public static async Task<string> RenderAsync(RelayState state, string csrf, CancellationToken ct)
    {
        var stats = await state.Store.StatsAsync(ct);
        var s = new StringBuilder("<section aria-labelledby=\"health\"><h2 id=\"health\">Queue and storage health</h2><dl class=\"stats\">")
            .Append($"<dt>Accounts</dt><dd id=\"stat-accounts\">{stats.Accounts}</dd><dt>Devices</dt><dd>{stats.Devices}</dd>")
            .Append($"<dt>Queued messages</dt><dd id=\"stat-queued\">{stats.QueuedMessages} ({ConsolePages.Bytes(stats.QueuedBytes)})</dd>")
            .Append($"<dt>Transparency log size</dt><dd>{stats.TransparencyLogSize}</dd>")
            .Append($"<dt>Store</dt><dd>{ConsolePages.E(stats.Store)}, {ConsolePages.Bytes(stats.StoreBytes)}</dd></dl></section>");

        s.Append("<section aria-labelledby=\"accounts\"><h2 id=\"accounts\">Accounts and devices</h2>")
            .Append("<table><caption>Every account's devices with their state on this relay</caption><thead><tr>")
            .Append("<th scope=\"col\">Account</th><th scope=\"col\">Device</th><th scope=\"col\">State</th><th scope=\"col\">Queued</th>")
            .Append("<th scope=\"col\">Prekeys (one-time / KEM)</th><th scope=\"col\">Action</th></tr></thead><tbody>");
        foreach (var account in await state.Store.ListAccountsAsync(MaxAccounts, null, ct))
        {
            var first = true;
            foreach (var device in account.Devices)
            {
                var (messages, bytes) = await state.Store.MailboxDepthAsync(account.Account, device.Device, ct);
                var prekeys = await state.Store.CountPrekeysAsync(account.Account, device.Device, ct);
                var deviceState = account.Disabled ? "disabled" : device.Revoked ? "revoked" : "active";
                var action = first && !account.Disabled
                    ? ConsolePages.ActionForm("disable-account", csrf, "Disable account", [("account", account.Account)], buttonClass: "danger")
                    : "";
                s.Append($"<tr data-device=\"{ConsolePages.E(device.Device)}\"><td><code>{ConsolePages.E(ConsolePages.Short(account.Account))}</code></td>")
                    .Append($"<td><code>{ConsolePages.E(ConsolePages.Short(device.Device))}</code></td>")
                    .Append($"<td class=\"device-state\"><span class=\"badge state-{deviceState}\">{deviceState}</span></td>")
                    .Append($"<td>{messages} ({ConsolePages.Bytes(bytes)})</td><td>{prekeys.OneTimePrekeys} / {prekeys.OneTimeKemPrekeys}</td><td>{action}</td></tr>");
                first = false;
            }
        }

        return s.Append("</tbody></table></section>").ToString();
    }
}
