using System.Text;
using System.Text.Json;
using Npgsql;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// Signals between relay nodes over LISTEN/NOTIFY: one dedicated connection (outside the pool) listens on the
/// store's channel and hands each notification to the subscribers; it reconnects with backoff when the connection
/// drops. NOTIFY is delivered only to sessions listening at commit time, so a node that was reconnecting misses
/// what was published meanwhile: signals are wake-up hints, and delivery loops also poll their mailbox.
/// </summary>
internal sealed class PostgresSignals : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly RelaySignalHub _hub;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    public PostgresSignals(string connectionString, string channel, RelaySignalHub hub)
    {
        // A listening session never needs the pool's limits or lifetime rules: it lives as long as the store.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15, ApplicationName = ApplicationName }.ConnectionString;
        Channel = channel;
        _hub = hub;
        _loop = Task.Run(ListenAsync);
    }

    /// <summary>How the listening session names itself in <c>pg_stat_activity</c> (for operators).</summary>
    public const string ApplicationName = "enigm-relay-listener";

    public string Channel { get; }

    /// <summary>Completes once the first LISTEN is in place.</summary>
    public Task Ready => _ready.Task;

    public static string Encode(RelaySignal signal)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(signal.Kind.ToString());
            writer.WriteStringValue(signal.Account);
            writer.WriteStringValue(signal.Device);
            writer.WriteStringValue(signal.Connection);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static RelaySignal? Decode(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 2 });
            var items = document.RootElement;
            if (items.GetArrayLength() != 4 || !Enum.TryParse<RelaySignalKind>(items[0].GetString(), out var kind) || items[1].GetString() is not { } account)
                return null;
            return new RelaySignal(kind, account, items[2].GetString(), items[3].GetString());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // Not ours (another writer on the channel): ignored.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        var ct = _stop.Token;
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(ct).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == Channel && Decode(e.Payload) is { } signal) _hub.Dispatch(signal);
                };
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresRelayStore.Quote(Channel), connection))
                    await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                _ready.TrySetResult();
                backoff = TimeSpan.FromMilliseconds(100);
                while (true) await connection.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // The database is down or the connection dropped: retry with backoff (at most 5 s between attempts).
                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }
}
