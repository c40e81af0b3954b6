using Microsoft.Extensions.Logging;

namespace Enigm.Server.Hosting;

/// <summary>
/// The background TTL sweep (docs/relay-api.md, "TTLs"): every <see cref="RelayServerOptions.SweepInterval"/> it deletes
/// undelivered messages older than the mailbox TTL, attachments older than the attachment TTL and rendezvous messages
/// older than the rendezvous TTL. Every node may sweep: each delete is idempotent.
/// </summary>
internal sealed partial class RelaySweeper(RelayState state, ILogger<RelaySweeper> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>One sweep now; returns (messages, attachments, rendezvous messages) deleted.</summary>
    public async Task<(long Messages, long Attachments, long Rendezvous)> SweepOnceAsync(CancellationToken ct)
    {
        var now = state.Now;
        var messages = await state.Store.SweepExpiredAsync(now - state.Options.MailboxTtl, ct);
        var attachments = await state.Store.SweepAttachmentsAsync(now - state.Options.AttachmentTtl, ct);
        var rendezvous = await state.Store.SweepRendezvousAsync(now - state.Options.RendezvousTtl, ct);
        await Transparency.TransparencyRepair.RepairAllAsync(state, ct);
        return (messages, attachments, rendezvous);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(state.Options.SweepInterval, state.Options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    var (messages, attachments, rendezvous) = await SweepOnceAsync(ct);
                    LogSwept(logger, messages, attachments, rendezvous);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TTL sweep deleted {Messages} messages, {Attachments} attachments, {Rendezvous} rendezvous messages")]
    private static partial void LogSwept(ILogger logger, long messages, long attachments, long rendezvous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TTL sweep failed with {ExceptionType}; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, string exceptionType);
}
