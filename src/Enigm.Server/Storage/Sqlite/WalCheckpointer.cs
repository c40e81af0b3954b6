using System.Diagnostics;
using Enigm.Server.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Copies the WAL into the database file off the writer thread. SQLite's automatic checkpoint runs inside the COMMIT
/// that crosses <c>wal_autocheckpoint</c> pages (1,000 by default), on the writer, with two fsyncs (the WAL before the
/// copy, the database after; https://sqlite.org/pragma.html#pragma_synchronous): under load that was a stall of the
/// whole group commit several times a second. The writer connection turns it off (<c>wal_autocheckpoint=0</c>) and
/// this thread runs a PASSIVE checkpoint on its own connection every <see cref="Interval"/> while commits come in;
/// a passive checkpoint takes no lock the writer needs (https://sqlite.org/c3ref/wal_checkpoint_v2.html), so writes
/// go on while it copies. Durability is unchanged: the checkpoint syncs the WAL before copying and the database after,
/// as the writer's own would.
/// <para>
/// SQLite restarts the WAL from its start only when a write begins with every frame copied, which a checkpoint running
/// beside a busy writer rarely leaves; so when the WAL holds more than <see cref="RestartFrames"/> frames the writer is
/// asked (<see cref="WriterShouldCheckpoint"/>) to checkpoint once itself before its next batch: cheap, since this thread
/// has copied nearly all of it, and the WAL file then stops growing.
/// </para>
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>64 MiB of 4 KiB pages.</summary>
    public const int RestartFrames = 16_384;

    private readonly string _connectionString;
    private readonly object _lock = new();
    private readonly Thread _thread;
    private bool _committed;
    private bool _stopped;
    private volatile bool _writerShouldCheckpoint;

    public WalCheckpointer(string connectionString)
    {
        _connectionString = connectionString;
        _thread = new Thread(Run) { IsBackground = true, Name = "relay-sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Whether the writer should run one checkpoint itself before its next batch (the WAL grew past <see cref="RestartFrames"/>).</summary>
    public bool WriterShouldCheckpoint
    {
        get => _writerShouldCheckpoint;
        set => _writerShouldCheckpoint = value;
    }

    /// <summary>Called by the writer after each COMMIT.</summary>
    public void Committed()
    {
        lock (_lock)
        {
            if (_committed) return;
            _committed = true;
            Monitor.Pulse(_lock);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            Monitor.Pulse(_lock);
        }

        _thread.Join();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                lock (_lock)
                {
                    while (!_committed && !_stopped) Monitor.Wait(_lock);
                    if (_stopped) return;
                    _committed = false;
                }

                try
                {
                    connection ??= Open();
                    var started = Stopwatch.GetTimestamp();
                    using var checkpoint = connection.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    using var reader = checkpoint.ExecuteReader();
                    // (busy, frames in the WAL, frames copied): a WAL this long needs the writer to restart it.
                    if (reader.Read() && reader.GetInt64(1) > RestartFrames) WriterShouldCheckpoint = true;
                    RelayMetrics.Checkpoint.Record(RelayMetrics.Since(started), new KeyValuePair<string, object?>("thread", "background"));
                }
                catch (SqliteException)
                {
                    // A checkpoint that fails leaves the WAL as it was (nothing is lost); the next one tries again,
                    // and a WAL that keeps growing makes the writer checkpoint itself.
                    WriterShouldCheckpoint = true;
                }

                // At most one checkpoint per interval: commits meanwhile only set the flag (a stop ends the wait).
                var until = Environment.TickCount64 + (long)Interval.TotalMilliseconds;
                lock (_lock)
                {
                    for (var left = Interval.TotalMilliseconds; !_stopped && left > 0; left = until - Environment.TickCount64)
                        Monitor.Wait(_lock, TimeSpan.FromMilliseconds(left));
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var settings = connection.CreateCommand();
        settings.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";
        settings.ExecuteNonQuery();
        return connection;
    }
}
