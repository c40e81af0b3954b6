namespace Enigm.Keys.Records;

/// <summary>A record as stored: AES-256-GCM nonce and ciphertext (with tag). Never the plaintext.</summary>
public sealed record SealedRecord(byte[] Nonce, byte[] Ciphertext);

/// <summary>
/// The storage side of <see cref="ProtectedRecords"/>: a table of sealed records by name in the key store's own
/// file (SQLite table <c>records</c>). It only persists bytes it cannot read; sealing, authentication and
/// policy live in <see cref="ProtectedRecords"/>, as the key rows' do in the key ring.
/// </summary>
public interface IRecordTable
{
    /// <summary>The sealed record stored under <paramref name="name"/>, or null.</summary>
    SealedRecord? Read(string name);

    /// <summary>Every record name starting with <paramref name="prefix"/>, in ordinal order.</summary>
    IReadOnlyList<string> Names(string prefix);
}

/// <summary>The record table inside one key-store transaction (see <see cref="Storage.IKeyStoreTransaction.Records"/>).</summary>
public interface IRecordTableTransaction : IRecordTable
{
    /// <summary>Inserts or replaces the record.</summary>
    void Write(string name, SealedRecord record);

    /// <summary>Deletes the record; false when there was none.</summary>
    bool Delete(string name);
}
