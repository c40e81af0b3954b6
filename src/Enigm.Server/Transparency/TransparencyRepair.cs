using Enigm.Server.Hosting;
using Enigm.Server.Storage;
using Enigm.Trust.Transparency;
using Microsoft.Extensions.Logging;

namespace Enigm.Server.Transparency;

/// <summary>
/// Closes the crash gap between storing a device log and appending its head to the transparency log (RFC 9162 leaf per
/// head, DESIGN.md "Key transparency"). The store marks an account "head pending" in the same write that stores its log
/// (<see cref="IRelayStore.AccountsWithPendingHeadAsync"/>); the directory clears the mark after the append. A relay that
/// died in between leaves the mark, and this repair appends the stored head (unless the account's newest leaf already
/// is that head: the crash came after the append) and clears it. It runs when a relay starts, on every sweep, and when a
/// log is served without a leaf, so a client never stays on <c>leafIndex</c> -1. Two nodes repairing the same account at
/// once can log its head twice: a duplicate leaf, harmless to every proof.
/// </summary>
public static partial class TransparencyRepair
{
    private const int Page = 100;

    /// <summary>The repair when a relay starts: a failure is logged (by type) and left to the sweeps, never fatal.</summary>
    public static async Task RepairAtStartAsync(RelayState state, CancellationToken ct)
    {
        try
        {
            await RepairAllAsync(state, ct);
        }
        catch (Exception e) when (e is RelayStoreException or EnigmException)
        {
            LogStartFailed(state.Log, e.GetType().Name);
        }
    }

    /// <summary>Logs every pending head; returns how many heads were appended.</summary>
    public static async Task<int> RepairAllAsync(RelayState state, CancellationToken ct)
    {
        var appended = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var pending = await state.Store.AccountsWithPendingHeadAsync(Page, ct);
            var fresh = pending.Where(seen.Add).ToList();
            foreach (var account in fresh)
            {
                if (await LogStoredHeadAsync(state, account, ct)) appended++;
            }

            // A page with nothing new: the rest are marks a concurrent append keeps (it clears them itself).
            if (pending.Count < Page || fresh.Count == 0) return appended;
        }
    }

    /// <summary>Appends the account's stored head unless its newest leaf is that head, then clears the mark; true when appended.</summary>
    public static async Task<bool> LogStoredHeadAsync(RelayState state, string account, CancellationToken ct)
    {
        var stored = await state.Store.GetAccountAsync(account, ct);
        if (stored is null) return false;
        var trusted = state.Logs.Verify(stored.DeviceLog);
        var leaf = new TransparencyLeaf(trusted.Account, trusted.Head.Hash, (ulong)trusted.Head.Sequence).Encode();
        var latest = await state.Store.LatestLeafAsync(account, ct);
        var append = latest is not { } l || !l.LeafData.AsSpan().SequenceEqual(leaf);
        if (append) await state.Transparency.AppendAsync(trusted.Account, trusted.Head, CancellationToken.None);
        await state.Store.MarkHeadLoggedAsync(account, stored.LogEntries, CancellationToken.None);
        return append;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transparency repair at start failed with {ExceptionType}; every sweep retries it")]
    private static partial void LogStartFailed(ILogger logger, string exceptionType);
}
