namespace Enigm.Messaging.Prekeys;

/// <summary>
/// Where a device keeps the private halves of its own prekeys (the libsignal <c>PreKeyStore</c> shape). The
/// protocol (<see cref="DevicePrekeys"/>, PQXDH) decides what to generate, rotate and consume; a store only
/// persists. A client implements it over SQLite, one row per prekey keyed by (kind, id), with the private key
/// wrapped by Enigm.Keys under the matching purpose; every method must be atomic on its own.
/// <para>
/// Ownership: a handle returned by <see cref="Get"/> or <see cref="List"/> belongs to the store and stays valid
/// until the key is deleted; a record returned by <see cref="Take"/> belongs to the caller, who disposes it.
/// </para>
/// </summary>
public interface IPrekeyStore
{
    /// <summary>Reserves <paramref name="count"/> consecutive fresh ids and returns the first; ids are never handed out twice, even after deletion.</summary>
    uint AllocateIds(int count);

    /// <summary>Stores the records, all or none; an existing (kind, id) is an error.</summary>
    void Add(IReadOnlyList<PrekeyRecord> records);

    /// <summary>The prekey, or null when it was never stored, was deleted or was taken.</summary>
    PrekeyRecord? Get(PrekeyKind kind, uint id);

    /// <summary>Every stored prekey of a kind, oldest first.</summary>
    IReadOnlyList<PrekeyRecord> List(PrekeyKind kind);

    /// <summary>
    /// Removes a one-time prekey and hands it to the caller, atomically: of two concurrent calls for one id, one
    /// gets the record and the other null. This is what makes a one-time prekey usable once (PQXDH 3.4).
    /// </summary>
    PrekeyRecord? Take(PrekeyKind kind, uint id);

    /// <summary>Deletes (and zeroes) a prekey; absent keys are ignored. Used when rotation retires a key.</summary>
    void Delete(PrekeyKind kind, uint id);

    int Count(PrekeyKind kind);

    /// <summary>
    /// Records one use of the last-resort KEM prekey <paramref name="prekeyId"/> by an initial message that used
    /// no one-time KEM prekey, identified by <paramref name="useHash"/>; false when that use was recorded before
    /// (a replay). Records may be dropped when the prekey is deleted.
    /// </summary>
    bool TryRecordLastResortUse(uint prekeyId, ReadOnlySpan<byte> useHash);
}
