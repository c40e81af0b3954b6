namespace Enigm.Server.Storage.Postgres;

/// <summary>Stopping the PostgreSQL store's background loops (listener, notifier, catch-up) the same way.</summary>
internal static class BackgroundLoop
{
    /// <summary>Cancels <paramref name="stop"/> and waits for <paramref name="loop"/>, which ends by that cancellation.</summary>
    public static async Task StopAsync(CancellationTokenSource stop, Task loop)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop's own way of ending.
        }
    }
}
