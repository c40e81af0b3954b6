using System.Buffers.Binary;
using Enigm.Keys.Records;

namespace Enigm.Client.State;

/// <summary>Received messages as stored before their acknowledgement (sealed like everything else), oldest first, bounded.</summary>
internal sealed class MessageArchive(ProtectedRecords records, int capacity = MessageArchive.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    public void Add(ProtectedRecordTransaction tx, ReceivedMessage message)
    {
        var counter = tx.Get(RecordNames.MessageCounter) is { Length: 8 } stored ? BinaryPrimitives.ReadInt64BigEndian(stored) : 0;
        counter++;
        var buffer = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, counter);
        tx.Put(RecordNames.MessageCounter, buffer);
        tx.Put(RecordNames.MessagePrefix + RecordNames.Ordinal(counter), StateJson.Write(message, StateJson.Default.ReceivedMessage));
        if (counter > capacity) tx.Delete(RecordNames.MessagePrefix + RecordNames.Ordinal(counter - capacity));
    }

    public IReadOnlyList<ReceivedMessage> Latest(int limit)
    {
        var names = records.Names(RecordNames.MessagePrefix);
        return [.. names.Skip(Math.Max(0, names.Count - limit)).Select(n => StateJson.Read(n, records.Get(n)!, StateJson.Default.ReceivedMessage))];
    }
}
