using Npgsql;

namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// Sends this node's signals to the other nodes with NOTIFY, after the commit they announce, on one dedicated session.
/// Why not in the committing transaction: PostgreSQL serialises every transaction that has sent a NOTIFY from its
/// pre-commit until the end of its commit, WAL flush included (the global notify-queue lock, <c>pg_locks</c> object
/// 1262/0), so NOTIFY inside each submit made submits commit one fsync at a time and defeated group commit (measured
/// in docs/benchmarks.md). Here signals queued while one NOTIFY is in flight go out together in the next (one
/// statement, one payload per ~8 kB: <see cref="PostgresSignals.EncodeBatch"/>), and the session runs with
/// <c>synchronous_commit=off</c>: a notification is a wake-up hint, never data, so its commit need not wait for a WAL
/// flush and the queue lock is held for microseconds. A signal lost here (the node dies after the commit, or the
/// database is unreachable) is made up for by <see cref="PostgresCatchUp"/>.
/// </summary>
internal sealed class PostgresNotifier : IAsyncDisposable
{
    /// <summary>How the sending session names itself in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "enigm-relay-notifier";

    /// <summary>Queued fire-and-forget signals beyond this are dropped (the catch-up re-signals new mail).</summary>
    private const int MaxPending = 100_000;

    private readonly string _connectionString;
    private readonly string _channel;
    private readonly string _node;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Task _loop;
    private Dictionary<RelaySignal, TaskCompletionSource?> _pending = [];

    public PostgresNotifier(string connectionString, string channel, string node)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Multiplexing = false, // a dedicated session, whatever the pool uses
            KeepAlive = 15,
            ApplicationName = ApplicationName,
            Options = "-c synchronous_commit=off",
        }.ConnectionString;
        _channel = channel;
        _node = node;
        _loop = Task.Run(SendLoopAsync);
    }

    /// <summary>Queues signals for the next NOTIFY without waiting for it (signals for committed mail).</summary>
    public void Post(IEnumerable<RelaySignal> signals)
    {
        lock (_lock)
        {
            foreach (var signal in signals)
            {
                if (_pending.Count < MaxPending) _pending.TryAdd(signal, null);
            }
        }

        Wake();
    }

    /// <summary>Queues a signal and completes once its NOTIFY committed; throws <see cref="RelayStoreException"/> when it could not be sent.</summary>
    public Task SendAsync(RelaySignal signal, CancellationToken ct)
    {
        Task sent;
        lock (_lock)
        {
            if (!_pending.TryGetValue(signal, out var existing) || existing is null)
                _pending[signal] = existing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            sent = existing.Task;
        }

        Wake();
        return sent.WaitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await BackgroundLoop.StopAsync(_stop, _loop).ConfigureAwait(false);

        foreach (var waiter in _pending.Values) waiter?.TrySetException(new RelayStoreException("the relay store is closing; the signal was not sent"));
        _stop.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: the loop takes everything queued.
        }
        catch (ObjectDisposedException)
        {
            // The store is closing.
        }
    }

    private async Task SendLoopAsync()
    {
        var ct = _stop.Token;
        NpgsqlConnection? connection = null;
        var backoff = TimeSpan.FromMilliseconds(50);
        try
        {
            while (true)
            {
                await _wake.WaitAsync(ct).ConfigureAwait(false);
                while (true)
                {
                    Dictionary<RelaySignal, TaskCompletionSource?> batch;
                    lock (_lock)
                    {
                        if (_pending.Count == 0) break;
                        batch = _pending;
                        _pending = [];
                    }

                    try
                    {
                        connection ??= await OpenAsync(ct).ConfigureAwait(false);
                        await NotifyAsync(connection, batch, ct).ConfigureAwait(false);
                        backoff = TimeSpan.FromMilliseconds(50);
                    }
                    catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                    {
                        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                        // Waiting publishers learn of the failure (as a NOTIFY in their own transaction would have
                        // told them); posted mail signals go back in the queue for the next attempt.
                        foreach (var (signal, waiter) in batch)
                        {
                            if (waiter is null) Post([signal]);
                            else waiter.TrySetException(new RelayStoreException($"the relay database failed: {e.Message}", e));
                        }

                        await Task.Delay(backoff, ct).ConfigureAwait(false);
                        backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>One statement (one implicit transaction) NOTIFYing every payload of the batch.</summary>
    private async Task NotifyAsync(NpgsqlConnection connection, Dictionary<RelaySignal, TaskCompletionSource?> batch, CancellationToken ct)
    {
        var oversized = new List<RelaySignal>();
        var payloads = PostgresSignals.EncodeBatch(_node, batch.Keys, oversized);
        foreach (var signal in oversized)
            batch[signal]?.TrySetException(new RelayStoreException($"a {signal.Kind} signal does not fit in a NOTIFY payload ({PostgresSignals.MaxPayloadBytes} bytes)"));
        if (payloads.Count > 0)
        {
            await using var command = new NpgsqlCommand("SELECT count(pg_notify($1, p)) FROM unnest($2::text[]) AS p", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = _channel });
            command.Parameters.Add(new NpgsqlParameter { Value = payloads.ToArray() });
            await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        }

        foreach (var waiter in batch.Values) waiter?.TrySetResult();
    }
}
