using System.Buffers.Binary;
using Enigm.Keys.Records;

namespace Enigm.Client.State;

/// <summary>
/// Message ids this device already stored, for de-duplication (a retried submit or a redelivery after a lost ack
/// arrives twice with one id). Bounded: beyond <see cref="Capacity"/> ids the oldest are forgotten, a few at a time.
/// </summary>
internal sealed class SeenMessages(ProtectedRecords records, int capacity = SeenMessages.DefaultCapacity)
{
    public const int DefaultCapacity = 20_000;

    private const int PruneEvery = 256;

    public int Capacity { get; } = capacity;

    /// <summary>True when <paramref name="messageIdHex"/> was recorded (inside the transaction, so check-and-store is atomic).</summary>
    public static bool Contains(ProtectedRecordTransaction tx, string messageIdHex) => tx.Get(RecordNames.SeenPrefix + messageIdHex) is not null;

    /// <summary>Records the id inside <paramref name="tx"/>; prunes the oldest ids now and then.</summary>
    public void Add(ProtectedRecordTransaction tx, string messageIdHex)
    {
        var counter = tx.Get(RecordNames.SeenCounter) is { Length: 8 } stored ? BinaryPrimitives.ReadInt64BigEndian(stored) : 0;
        counter++;
        var buffer = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, counter);
        tx.Put(RecordNames.SeenCounter, buffer);
        tx.Put(RecordNames.SeenPrefix + messageIdHex, buffer);
        tx.Put(RecordNames.SeenOrderPrefix + RecordNames.Ordinal(counter), System.Text.Encoding.ASCII.GetBytes(messageIdHex));
        if (counter % PruneEvery == 0) Prune(tx);
    }

    public bool Contains(string messageIdHex) => records.Get(RecordNames.SeenPrefix + messageIdHex) is not null;

    private void Prune(ProtectedRecordTransaction tx)
    {
        var order = tx.Names(RecordNames.SeenOrderPrefix);
        for (var i = 0; i < order.Count - Capacity; i++)
        {
            if (tx.Get(order[i]) is { } id) tx.Delete(RecordNames.SeenPrefix + System.Text.Encoding.ASCII.GetString(id));
            tx.Delete(order[i]);
        }
    }
}
