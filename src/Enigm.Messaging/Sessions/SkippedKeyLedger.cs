using Enigm.Messaging.Ratchet;

namespace Enigm.Messaging.Sessions;

/// <summary>
/// The device-wide order of skipped message keys over all of one device's sessions (Double Ratchet §8.4: skipped
/// keys are deleted after a bound; the bound here is per device as well as per session, so that many sessions
/// that each stay under their own limit cannot together hold an unbounded number of keys). Entries are
/// (session address, key id), oldest first; a session's keys enter in the session's own order (oldest first).
/// Only ids are kept here, never keys. Thread-safe.
/// <para>
/// The ledger is in memory: it learns a session's keys when the session is next used on this device (the store
/// interface has no enumeration), so after a restart a session's old keys count from their first use.
/// </para>
/// </summary>
internal sealed class SkippedKeyLedger
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(string Address, SkippedKeyId Id)> _order = new();
    private readonly Dictionary<string, Dictionary<SkippedKeyId, LinkedListNode<(string Address, SkippedKeyId Id)>>> _bySession = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate) return _order.Count;
        }
    }

    /// <summary>Replaces what the ledger knows of <paramref name="address"/> with the session's current ids (oldest first).</summary>
    public void Update(string address, IReadOnlyList<SkippedKeyId> current)
    {
        lock (_gate)
        {
            if (!_bySession.TryGetValue(address, out var known))
            {
                if (current.Count == 0) return;
                _bySession[address] = known = [];
            }

            var keep = current.ToHashSet();
            foreach (var (id, node) in known.Where(p => !keep.Contains(p.Key)).ToList())
            {
                _order.Remove(node);
                known.Remove(id);
            }

            foreach (var id in current.Where(id => !known.ContainsKey(id)))
                known[id] = _order.AddLast((address, id));
            if (known.Count == 0) _bySession.Remove(address);
        }
    }

    public void Forget(string address) => Update(address, []);

    /// <summary>The oldest entries beyond <paramref name="limit"/>, grouped by session, oldest session first.</summary>
    public List<(string Address, List<SkippedKeyId> Ids)> Excess(int limit)
    {
        lock (_gate)
        {
            var excess = new List<(string Address, List<SkippedKeyId> Ids)>();
            var over = _order.Count - limit;
            for (var node = _order.First; node is not null && over > 0; node = node.Next, over--)
            {
                var group = excess.FirstOrDefault(g => g.Address == node.Value.Address);
                if (group.Ids is null) excess.Add((node.Value.Address, [node.Value.Id]));
                else group.Ids.Add(node.Value.Id);
            }

            return excess;
        }
    }
}
