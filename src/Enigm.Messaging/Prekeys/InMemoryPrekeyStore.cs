namespace Enigm.Messaging.Prekeys;

/// <summary>An <see cref="IPrekeyStore"/> in memory, for tests and the demo. Thread-safe; disposes the keys it still holds.</summary>
public sealed class InMemoryPrekeyStore : IPrekeyStore, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(PrekeyKind Kind, uint Id), PrekeyRecord> _records = [];
    private readonly Dictionary<uint, HashSet<string>> _lastResortUses = [];
    private uint _nextId = 1;

    public uint AllocateIds(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_lock)
        {
            if (uint.MaxValue - _nextId < (uint)count) throw new InvalidOperationException("Prekey ids are exhausted.");
            var first = _nextId;
            _nextId += (uint)count;
            return first;
        }
    }

    public void Add(IReadOnlyList<PrekeyRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_lock)
        {
            if (records.Select(r => (r.Kind, r.Id)).Distinct().Count() != records.Count || records.Any(r => _records.ContainsKey((r.Kind, r.Id))))
                throw new InvalidOperationException("A prekey with this kind and id is already stored.");
            foreach (var record in records) _records.Add((record.Kind, record.Id), record);
        }
    }

    public PrekeyRecord? Get(PrekeyKind kind, uint id)
    {
        lock (_lock) return _records.GetValueOrDefault((kind, id));
    }

    public IReadOnlyList<PrekeyRecord> List(PrekeyKind kind)
    {
        lock (_lock) return [.. _records.Values.Where(r => r.Kind == kind).OrderBy(r => r.Id)];
    }

    public PrekeyRecord? Take(PrekeyKind kind, uint id)
    {
        if (kind is not (PrekeyKind.OneTimePrekey or PrekeyKind.OneTimeKemPrekey))
            throw new ArgumentException($"Only one-time prekeys are taken, not {kind}.", nameof(kind));
        lock (_lock) return _records.Remove((kind, id), out var record) ? record : null;
    }

    public void Delete(PrekeyKind kind, uint id)
    {
        PrekeyRecord? removed;
        lock (_lock)
        {
            _records.Remove((kind, id), out removed);
            if (kind == PrekeyKind.LastResortKemPrekey) _lastResortUses.Remove(id);
        }

        removed?.Key.Dispose();
    }

    public int Count(PrekeyKind kind)
    {
        lock (_lock) return _records.Values.Count(r => r.Kind == kind);
    }

    public bool TryRecordLastResortUse(uint prekeyId, ReadOnlySpan<byte> useHash)
    {
        var key = Convert.ToHexStringLower(useHash);
        lock (_lock)
        {
            if (!_lastResortUses.TryGetValue(prekeyId, out var uses)) _lastResortUses[prekeyId] = uses = [];
            return uses.Add(key);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var record in _records.Values) record.Key.Dispose();
            _records.Clear();
        }
    }
}
