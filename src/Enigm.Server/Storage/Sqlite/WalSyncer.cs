using System.Diagnostics;
using Enigm.Server.Diagnostics;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Makes committed group commits durable off the writer thread. The writer connection runs with
/// <c>synchronous=NORMAL</c>, so a COMMIT appends its frames to the WAL without waiting for the disk; this thread then
/// fsyncs the WAL file once for every commit that queued up meanwhile and only then completes their operations. The
/// writer executes the next batch while the disk flushes the previous one (pipelined group commit, as a database's log
/// writer does), instead of the two taking turns.
/// <para>
/// Why this is as durable as <c>synchronous=FULL</c> (which fsyncs the WAL inside each COMMIT, https://sqlite.org/pragma.html#pragma_synchronous
/// and https://sqlite.org/wal.html): a transaction is in the database once its frames, up to its commit frame, are in the WAL
/// on disk; recovery replays every frame whose checksum chain is intact (wal.c, "WAL recovery"). fsync(2) on any
/// descriptor of the WAL file flushes all of that file's written data, so after it returns every transaction committed
/// before the call survives a crash. With NORMAL, SQLite itself still fsyncs the WAL before a checkpoint copies frames
/// into the database, fsyncs the database after, and fsyncs the WAL header when the WAL is restarted, so frames an
/// acknowledged write depends on are never overwritten before they are in the synced database file. A write that
/// committed but was not yet synced when the process died may be lost, and it was never acknowledged.
/// </para>
/// The WAL file is opened once after the first commit and kept open: SQLite deletes it only when the last connection
/// closes, and the writer connection stays open for the store's lifetime (it is closed after this syncer).
/// </summary>
internal sealed class WalSyncer : IDisposable
{
    private readonly string _walPath;
    private readonly object _lock = new();
    private readonly Thread _thread;
    private List<Action<Exception?>> _pending = [];
    private bool _completed;
    private FileStream? _wal;

    public WalSyncer(string databasePath)
    {
        _walPath = databasePath + "-wal";
        _thread = new Thread(Run) { IsBackground = true, Name = "relay-sqlite-wal-sync" };
        _thread.Start();
    }

    /// <summary>Called by the writer after a COMMIT: <paramref name="done"/> runs once the WAL holding it is on disk (or with the error).</summary>
    public void AfterCommit(Action<Exception?> done)
    {
        lock (_lock)
        {
            if (_completed) throw new ObjectDisposedException(nameof(WalSyncer));
            _pending.Add(done);
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Syncs what is queued, then stops the thread.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _completed = true;
            Monitor.Pulse(_lock);
        }

        _thread.Join();
        _wal?.Dispose();
    }

    private void Run()
    {
        var taken = new List<Action<Exception?>>();
        while (true)
        {
            lock (_lock)
            {
                while (_pending.Count == 0 && !_completed) Monitor.Wait(_lock);
                if (_pending.Count == 0) return;
                (taken, _pending) = (_pending, taken);
            }

            Exception? error = null;
            try
            {
                // One fsync covers every commit taken: they were all written before this call.
                _wal ??= new FileStream(_walPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                var started = Stopwatch.GetTimestamp();
                _wal.Flush(flushToDisk: true);
                RelayMetrics.WalFsync.Record(RelayMetrics.Since(started));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = new RelayStoreException($"the relay database's write-ahead log could not be flushed to disk: {e.Message}", e);
            }

            foreach (var done in taken) done(error);
            taken.Clear();
        }
    }
}
