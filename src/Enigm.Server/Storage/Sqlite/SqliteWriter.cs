using System.Diagnostics;
using System.Threading.Channels;
using Enigm.Server.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// The one connection that writes, with group commit. Every write is queued; a single loop on its own thread takes
/// whatever is queued (up to <see cref="MaxBatch"/> operations), runs them in one transaction and commits once. Optimistically without
/// savepoints (two statements fewer per operation, the common case where nothing fails); if any operation throws, the
/// transaction is rolled back and the batch runs again with each operation inside its own SAVEPOINT (operations are pure
/// functions of the database, so running one again is safe).
/// Durability is one WAL fsync per batch, done by <see cref="WalSyncer"/> while this thread already runs the next batch;
/// so concurrent submits share the cost of durability instead of weakening it. A durable write's task completes only
/// after the fsync that covers its commit returned, so a caller that saw success is on disk. A write queued with
/// <c>durable: false</c> (an ack: losing one means a redelivery the client de-duplicates) completes at its commit. An operation that throws is rolled back to its savepoint alone; the others
/// in the batch still commit. If the commit itself fails, every operation of the batch fails.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly SqliteConnection _connection;
    private readonly WalSyncer _syncer;
    private readonly WalCheckpointer _checkpointer;
    private readonly Channel<Operation> _queue = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _loop;
    private readonly IWriterTransactionState _state;

    /// <summary>
    /// Takes over <paramref name="connection"/>, which must be in WAL mode with <c>synchronous=NORMAL</c> (see <see cref="WalSyncer"/>).
    /// <paramref name="state"/> is told of every commit, rollback and savepoint, so in-memory state changed by operations stays exact.
    /// </summary>
    public SqliteWriter(SqliteConnection connection, string databasePath, IWriterTransactionState state)
    {
        _connection = connection;
        _state = state;
        _syncer = new WalSyncer(databasePath);
        // Checkpoints run on their own thread and connection (WalCheckpointer), not inside this connection's commits.
        SqliteCommands.Execute(connection, null, "PRAGMA wal_autocheckpoint = 0");
        _checkpointer = new WalCheckpointer(connection.ConnectionString);
        // Its own thread: SQLite calls block, and a blocked thread-pool thread would slow every request.
        _loop = new Thread(Run) { IsBackground = true, Name = "relay-sqlite-writer" };
        _loop.Start();
    }

    /// <summary>Runs <paramref name="work"/> in the next group commit; completes after that commit is durable.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct = default) => WriteAsync(work, durable: true, ct);

    /// <summary>
    /// Runs <paramref name="work"/> in the next group commit; completes after that commit is durable, or, when
    /// <paramref name="durable"/> is false, as soon as it committed (visible to every reader, on disk with the next fsync).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, bool durable, CancellationToken ct = default)
    {
        var operation = new Operation<T>(work, durable, ct);
        if (!_queue.Writer.TryWrite(operation)) throw new ObjectDisposedException(nameof(SqliteRelayStore));
        return operation.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_loop.Join).ConfigureAwait(false);
        _syncer.Dispose();
        _checkpointer.Dispose();
        SqliteCommands.Release(_connection);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private void Run()
    {
        var batch = new List<Operation>(MaxBatch);
        while (_queue.Reader.TryPeek(out _) || _queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var operation))
            {
                if (operation.Cancellation.IsCancellationRequested) operation.Cancel();
                else batch.Add(operation);
            }

            if (batch.Count > 0)
            {
                if (_checkpointer.WriterShouldCheckpoint) CheckpointHere();
                var started = Stopwatch.GetTimestamp();
                if (RelayMetrics.WriterQueueWait.Enabled)
                {
                    foreach (var operation in batch) RelayMetrics.WriterQueueWait.Record(Stopwatch.GetElapsedTime(operation.Queued, started).TotalMilliseconds);
                }

                Commit(batch);
                RelayMetrics.WriterBatch.Record(RelayMetrics.Since(started));
                RelayMetrics.WriterBatchSize.Record(batch.Count);
                _checkpointer.Committed();
            }

            batch.Clear();
        }
    }

    /// <summary>The WAL grew long (see <see cref="WalCheckpointer"/>): copy the rest here, so the next commit restarts it.</summary>
    private void CheckpointHere()
    {
        _checkpointer.WriterShouldCheckpoint = false;
        var started = Stopwatch.GetTimestamp();
        try
        {
            SqliteCommands.Execute(_connection, null, "PRAGMA wal_checkpoint(PASSIVE)");
            RelayMetrics.Checkpoint.Record(RelayMetrics.Since(started), new KeyValuePair<string, object?>("thread", "writer"));
        }
        catch (SqliteException)
        {
            // Nothing is lost: the WAL stays as it was; the checkpointer asks again.
        }
    }

    /// <summary>After a COMMIT: non-durable operations complete now, durable ones once the WAL is on disk.</summary>
    private void Committed(List<Operation> committed)
    {
        List<Operation>? durable = null;
        foreach (var operation in committed)
        {
            if (operation.Durable) (durable ??= new List<Operation>(committed.Count)).Add(operation);
            else operation.Complete();
        }

        if (durable is null) return;
        var committedAt = Stopwatch.GetTimestamp();
        _syncer.AfterCommit(error =>
        {
            RelayMetrics.DurableWait.Record(RelayMetrics.Since(committedAt));
            foreach (var operation in durable)
            {
                if (error is null) operation.Complete();
                else operation.Fail(error);
            }
        });
    }

    private void Commit(List<Operation> batch)
    {
        Exception failure;
        SqliteTransaction begun;
        try
        {
            begun = _connection.BeginTransaction(deferred: false);
        }
        catch (SqliteException e)
        {
            foreach (var operation in batch) operation.Fail(Translate(e));
            return;
        }

        using (var transaction = begun)
        {
            try
            {
                foreach (var operation in batch) operation.Run(_connection, transaction);
                transaction.Commit();
                _state.Committed();
                Committed(batch);
                return;
            }
            catch (Exception e)
            {
                failure = e;
                RollbackQuietly(transaction);
                _state.RolledBack();
            }
        }

        // A batch of one needs no second run: its failure is its own.
        if (batch.Count == 1) batch[0].Fail(Translate(failure));
        else CommitWithSavepoints(batch);
    }

    private static void RollbackQuietly(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite already rolled back (an I/O error or a full disk ends the transaction itself).
        }
    }

    private void CommitWithSavepoints(List<Operation> batch)
    {
        var succeeded = new List<Operation>(batch.Count);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var operation in batch)
            {
                SqliteCommands.Execute(_connection, transaction, "SAVEPOINT op");
                var mark = _state.Mark();
                try
                {
                    operation.Run(_connection, transaction);
                    SqliteCommands.Execute(_connection, transaction, "RELEASE op");
                    succeeded.Add(operation);
                }
                catch (Exception e) when (e is not SqliteException { SqliteErrorCode: 10 or 13 })
                {
                    // SQLITE_IOERR (10) and SQLITE_FULL (13) may abort the whole transaction: let them fail the batch.
                    SqliteCommands.Execute(_connection, transaction, "ROLLBACK TO op");
                    _state.RollbackTo(mark);
                    SqliteCommands.Execute(_connection, transaction, "RELEASE op");
                    operation.Fail(Translate(e));
                }
            }

            transaction.Commit();
            _state.Committed();
        }
        catch (Exception e)
        {
            _state.RolledBack();
            var error = Translate(e);
            foreach (var operation in batch) operation.Fail(error);
            return;
        }

        Committed(succeeded);
    }

    private static Exception Translate(Exception e) =>
        e is SqliteException s ? new RelayStoreException($"the relay database failed: {s.Message}", s) : e;

    private abstract class Operation(bool durable, CancellationToken cancellation)
    {
        public bool Durable { get; } = durable;

        public CancellationToken Cancellation { get; } = cancellation;

        /// <summary>When it was queued (<see cref="Stopwatch.GetTimestamp"/>), for <see cref="RelayMetrics.WriterQueueWait"/>.</summary>
        public long Queued { get; } = Stopwatch.GetTimestamp();

        public abstract void Run(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception error);

        public abstract void Cancel();
    }

    private sealed class Operation<T>(Func<SqliteConnection, SqliteTransaction, T> work, bool durable, CancellationToken cancellation) : Operation(durable, cancellation)
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _completion.Task;

        public override void Run(SqliteConnection connection, SqliteTransaction transaction) => _result = work(connection, transaction);

        public override void Complete() => _completion.TrySetResult(_result);

        public override void Fail(Exception error) => _completion.TrySetException(error);

        public override void Cancel() => _completion.TrySetCanceled(Cancellation);
    }
}
