namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// Each mailbox's depth (messages and body bytes), kept in memory by the single writer instead of by triggers on every
/// insert and delete (schema version 3 dropped <c>mailbox_depth</c> and its triggers: with the depth SELECT of the cap
/// check they were about half of the writer's work per message, measured with <c>Enigm.RelayLoad statements</c>). Exact because only the writer thread changes
/// <c>messages</c>: a write records its changes as pending; they become visible to readers when the transaction commits
/// and are undone when it (or the operation's savepoint) rolls back. Loaded from <c>messages</c> once, at migration.
/// </summary>
internal sealed class MailboxDepths : IWriterTransactionState
{
    private readonly object _lock = new();
    private readonly Dictionary<(string Account, string Device), (long Messages, long Bytes)> _committed = [];
    private readonly Dictionary<(string Account, string Device), (long Messages, long Bytes)> _pending = [];
    private readonly List<((string Account, string Device) Mailbox, long Messages, long Bytes)> _journal = [];

    /// <summary>The committed depth of one mailbox (any thread).</summary>
    public (long Messages, long Bytes) Get(string account, string device)
    {
        lock (_lock) return _committed.GetValueOrDefault((account, device));
    }

    /// <summary>Every committed mailbox's depth summed (any thread).</summary>
    public (long Messages, long Bytes) Total()
    {
        lock (_lock)
        {
            long messages = 0, bytes = 0;
            foreach (var depth in _committed.Values)
            {
                messages += depth.Messages;
                bytes += depth.Bytes;
            }

            return (messages, bytes);
        }
    }

    /// <summary>Writer thread, inside a transaction: a mailbox changed; returns its depth as this transaction sees it.</summary>
    public long Change(string account, string device, long messages, long bytes)
    {
        var mailbox = (account, device);
        _journal.Add((mailbox, messages, bytes));
        var current = _pending.TryGetValue(mailbox, out var pending) ? pending : Get(account, device);
        var changed = (current.Messages + messages, current.Bytes + bytes);
        _pending[mailbox] = changed;
        return changed.Item1;
    }

    /// <summary>Writer thread, inside a transaction: replaces every depth (the migration's count of <c>messages</c>).</summary>
    public void Load(IEnumerable<(string Account, string Device, long Messages, long Bytes)> depths)
    {
        lock (_lock)
        {
            _committed.Clear();
            foreach (var (account, device, messages, bytes) in depths) _committed[(account, device)] = (messages, bytes);
        }
    }

    public int Mark() => _journal.Count;

    public void RollbackTo(int mark)
    {
        for (var i = _journal.Count - 1; i >= mark; i--)
        {
            var (mailbox, messages, bytes) = _journal[i];
            var pending = _pending[mailbox];
            _pending[mailbox] = (pending.Messages - messages, pending.Bytes - bytes);
        }

        _journal.RemoveRange(mark, _journal.Count - mark);
    }

    public void Committed()
    {
        if (_pending.Count > 0)
        {
            lock (_lock)
            {
                foreach (var (mailbox, depth) in _pending)
                {
                    if (depth.Messages == 0) _committed.Remove(mailbox);
                    else _committed[mailbox] = depth;
                }
            }
        }

        Clear();
    }

    public void RolledBack() => Clear();

    private void Clear()
    {
        _pending.Clear();
        _journal.Clear();
    }
}

/// <summary>In-memory state the writer keeps in step with its transactions (see <see cref="SqliteWriter"/>).</summary>
internal interface IWriterTransactionState
{
    /// <summary>A savepoint: what <see cref="RollbackTo"/> returns to.</summary>
    int Mark();

    void RollbackTo(int mark);

    void Committed();

    void RolledBack();
}
