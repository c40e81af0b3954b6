using System.Buffers.Binary;
using Enigm.Keys.Records;
using Enigm.Messaging.Prekeys;

namespace Enigm.Client.State;

/// <summary>
/// <see cref="IPrekeyStore"/> over the key ring's protected records: one sealed key record per prekey
/// (<c>client/prekey/{kind}/{id}</c>, the creation time as its metadata), an id counter, and one empty record per
/// recorded last-resort use. <see cref="Take"/> reads and deletes in one write transaction, so a one-time prekey
/// is handed out once even to two processes sharing the store (PQXDH 3.4). Handles returned by <see cref="Get"/>
/// and <see cref="List"/> are cached and disposed when their key is deleted or the store is disposed.
/// </summary>
internal sealed class RecordPrekeyStore(ProtectedRecords records) : IPrekeyStore, IDisposable
{
    private readonly Dictionary<string, PrekeyRecord> _handles = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public uint AllocateIds(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return records.Update(tx =>
        {
            var stored = tx.Get(RecordNames.PrekeyNextId);
            var next = stored is null ? 1u : BinaryPrimitives.ReadUInt32BigEndian(stored);
            if ((ulong)next + (ulong)count > uint.MaxValue) throw new InvalidOperationException("Prekey ids are exhausted.");
            var buffer = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(buffer, next + (uint)count);
            tx.Put(RecordNames.PrekeyNextId, buffer);
            return next;
        });
    }

    public void Add(IReadOnlyList<PrekeyRecord> prekeys)
    {
        ArgumentNullException.ThrowIfNull(prekeys);
        records.Update(tx =>
        {
            foreach (var prekey in prekeys)
            {
                var name = RecordNames.Prekey(prekey.Kind, prekey.Id);
                if (tx.Names(name).Contains(name, StringComparer.Ordinal))
                    throw new InvalidOperationException($"Prekey {prekey.Kind} {prekey.Id} is already stored.");
                tx.PutKey(name, prekey.Key, Metadata(prekey.CreatedAt));
            }

            return 0;
        });
    }

    public PrekeyRecord? Get(PrekeyKind kind, uint id)
    {
        var name = RecordNames.Prekey(kind, id);
        lock (_gate)
        {
            if (_handles.TryGetValue(name, out var cached)) return cached;
        }

        var stored = records.GetKey(name);
        if (stored is null) return null;
        var record = new PrekeyRecord(kind, id, stored.Key, CreatedAt(stored.Metadata));
        lock (_gate)
        {
            if (_handles.TryGetValue(name, out var raced))
            {
                // Another thread cached it first: keep one handle.
                record.Key.Dispose();
                return raced;
            }

            _handles[name] = record;
            return record;
        }
    }

    public IReadOnlyList<PrekeyRecord> List(PrekeyKind kind)
    {
        var result = new List<PrekeyRecord>();
        foreach (var name in records.Names(RecordNames.PrekeysOf(kind)))
        {
            if (Get(kind, uint.Parse(name.AsSpan(name.LastIndexOf('/') + 1), provider: System.Globalization.CultureInfo.InvariantCulture)) is { } record)
                result.Add(record);
        }

        return [.. result.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)];
    }

    public PrekeyRecord? Take(PrekeyKind kind, uint id)
    {
        var name = RecordNames.Prekey(kind, id);
        var stored = records.Update(tx =>
        {
            var key = tx.GetKey(name);
            if (key is not null) tx.Delete(name);
            return key;
        });
        Evict(name);
        return stored is null ? null : new PrekeyRecord(kind, id, stored.Key, CreatedAt(stored.Metadata));
    }

    public void Delete(PrekeyKind kind, uint id)
    {
        var name = RecordNames.Prekey(kind, id);
        records.Update(tx =>
        {
            tx.Delete(name);
            if (kind == PrekeyKind.LastResortKemPrekey)
            {
                foreach (var use in tx.Names($"{RecordNames.LastResortUsePrefix}{id}/")) tx.Delete(use);
            }

            return 0;
        });
        Evict(name);
    }

    public int Count(PrekeyKind kind) => records.Names(RecordNames.PrekeysOf(kind)).Count;

    public bool TryRecordLastResortUse(uint prekeyId, ReadOnlySpan<byte> useHash)
    {
        var name = $"{RecordNames.LastResortUsePrefix}{prekeyId}/{Convert.ToHexStringLower(useHash)}";
        return records.Update(tx =>
        {
            if (tx.Get(name) is not null) return false;
            tx.Put(name, []);
            return true;
        });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var record in _handles.Values) record.Key.Dispose();
            _handles.Clear();
        }
    }

    private void Evict(string name)
    {
        lock (_gate)
        {
            if (_handles.Remove(name, out var cached)) cached.Key.Dispose();
        }
    }

    private static byte[] Metadata(DateTimeOffset createdAt)
    {
        var buffer = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, createdAt.ToUnixTimeMilliseconds());
        return buffer;
    }

    private static DateTimeOffset CreatedAt(byte[] metadata) =>
        metadata.Length == 8
            ? DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(metadata))
            : throw new Errors.ClientStateException("A stored prekey's creation time is damaged.");
}
