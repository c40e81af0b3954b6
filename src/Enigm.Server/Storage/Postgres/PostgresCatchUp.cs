using Npgsql;
using static Enigm.Server.Storage.Postgres.PostgresCommands;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// Makes up for lost new-message signals: a node that dies between a submit's commit and its NOTIFY
/// (<see cref="PostgresNotifier"/>), or a listener that was reconnecting when a NOTIFY went out, leaves committed mail
/// that no connected device was told about. Every <see cref="Interval"/> this node re-signals, to its own subscribers
/// only, each device that still has a message which already existed (its seq was allocated) at the previous round:
/// mail that is normally delivered and acknowledged within milliseconds is gone by then, so the rounds cost one indexed
/// range read of the few undelivered rows, not a fetch per connected device. A delivery loop woken this way fetches,
/// and its cursor sends nothing twice.
/// <para>The bound: a message committed at time t whose signal was lost wakes its device's connection by
/// t + 2 × <see cref="Interval"/> (the round after the one that first saw its seq allocated), provided its transaction
/// committed within <see cref="Lookback"/> of inserting it. Seqs come from a sequence (allocated at insert, committed
/// in any order), so the read starts at the sequence's value of a round at least <see cref="Lookback"/> old and ends
/// at the previous round's.</para>
/// </summary>
internal sealed class PostgresCatchUp : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Lookback = TimeSpan.FromSeconds(60);

    private readonly NpgsqlDataSource _dataSource;
    private readonly RelaySignalHub _hub;
    private readonly CancellationTokenSource _stop = new();
    private readonly Queue<(long At, long Allocated)> _rounds = new();
    private Task _loop = Task.CompletedTask;
    private long _from = -1;
    private long _previous = -1;

    public PostgresCatchUp(NpgsqlDataSource dataSource, RelaySignalHub hub)
    {
        _dataSource = dataSource;
        _hub = hub;
    }

    /// <summary>Starts the rounds (once the schema exists).</summary>
    public void Start()
    {
        if (_loop.IsCompleted) _loop = Task.Run(LoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await BackgroundLoop.StopAsync(_stop, _loop).ConfigureAwait(false);

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (true)
            {
                try
                {
                    await RoundAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    // The database is unreachable: the next round reads from the same start, so nothing is skipped.
                }

                await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task RoundAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        // Read before the range: a seq allocated after this value is read by a later round.
        var allocated = (long)(await ScalarAsync(connection, null,
            "SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('messages', 'seq')::regclass), 0)", ct).ConfigureAwait(false) ?? 0L);
        if (_previous >= 0 && _previous > _from)
        {
            var woken = new List<RelaySignal>();
            await using (var command = Command(connection, null, "SELECT DISTINCT account, device FROM messages WHERE seq > $1 AND seq <= $2", _from, _previous))
            await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    woken.Add(new RelaySignal(RelaySignalKind.NewMessage, reader.GetString(0), reader.GetString(1)));
            }

            foreach (var signal in woken) _hub.Dispatch(signal);
        }

        // The start moves to the sequence's value of the newest round at least Lookback old.
        var now = Environment.TickCount64;
        _rounds.Enqueue((now, allocated));
        if (_from < 0) _from = allocated;
        while (_rounds.Count > 0 && now - _rounds.Peek().At >= Lookback.TotalMilliseconds) _from = _rounds.Dequeue().Allocated;
        _previous = allocated;
    }
}
