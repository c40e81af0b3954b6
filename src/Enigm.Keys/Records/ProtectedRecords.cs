using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;
using Enigm.Keys.Storage;

namespace Enigm.Keys.Records;

/// <summary>
/// Named records sealed under the key ring's KEK (<see cref="RecordSealing"/>), kept in a table of the key store's
/// own file: the place where a device's other secrets — messaging sessions, prekeys, device logs, trust states —
/// live at rest, protected exactly like its keys and unlocked by the same protector (docs/keys.md, "Protected
/// records"). Records are not audited (they change with every message); private keys stored here through
/// <see cref="PutKey"/> are sealed as records too, so a caller can persist a key without ever exporting it.
/// One instance serialises its callers; <see cref="Update{T}"/> is atomic across records and across processes
/// (one SQLite write transaction).
/// </summary>
public sealed class ProtectedRecords
{
    private readonly IKeyStore _store;
    private readonly Func<SecretBytes> _kek;
    private readonly string _storeId;
    private readonly CryptoProviders _providers;
    private readonly Lock _gate = new();

    internal ProtectedRecords(IKeyStore store, Func<SecretBytes> kek, string storeId, CryptoProviders providers)
    {
        _store = store;
        _kek = kek;
        _storeId = storeId;
        _providers = providers;
    }

    /// <summary>The record's plaintext (a fresh array the caller may zero), or null when there is none.</summary>
    public byte[]? Get(string name)
    {
        RecordSealing.CheckName(name);
        lock (_gate)
        {
            var sealedRecord = Table.Read(name);
            return sealedRecord is null ? null : RecordSealing.Open(_kek(), _storeId, name, sealedRecord);
        }
    }

    /// <summary>Every record name that starts with <paramref name="prefix"/>, in ordinal order.</summary>
    public IReadOnlyList<string> Names(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_gate) return Table.Names(prefix);
    }

    /// <summary>Seals and stores <paramref name="value"/> under <paramref name="name"/>, replacing any record there.</summary>
    public void Put(string name, ReadOnlySpan<byte> value)
    {
        var copy = value.ToArray();
        try
        {
            Update(tx =>
            {
                tx.Put(name, copy);
                return 0;
            });
        }
        finally
        {
            RecordKeyCodec.Zero(copy);
        }
    }

    /// <summary>Deletes a record; false when there was none.</summary>
    public bool Delete(string name) => Update(tx => tx.Delete(name));

    /// <summary>Seals a private key (and <paramref name="metadata"/>) under <paramref name="name"/>; the key stays the caller's.</summary>
    public void PutKey(string name, PrivateKey key, ReadOnlySpan<byte> metadata = default)
    {
        var copy = metadata.ToArray();
        Update(tx =>
        {
            tx.PutKey(name, key, copy);
            return 0;
        });
    }

    /// <summary>The private key stored under <paramref name="name"/> (the caller disposes it), or null.</summary>
    public StoredKey? GetKey(string name)
    {
        var plaintext = Get(name);
        if (plaintext is null) return null;
        try
        {
            return RecordKeyCodec.Decode(name, plaintext, _providers);
        }
        finally
        {
            RecordKeyCodec.Zero(plaintext);
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> in one write transaction of the key store: everything it reads is current and
    /// everything it writes is committed together, or nothing is (an exception rolls back).
    /// </summary>
    public T Update<T>(Func<ProtectedRecordTransaction, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            using var tx = _store.Begin();
            var records = tx.Records ?? throw new KeyStoreException("This key store does not keep protected records.");
            var result = change(new ProtectedRecordTransaction(records, _kek(), _storeId, _providers));
            tx.Commit();
            return result;
        }
    }

    /// <summary>Reseals every record from <paramref name="oldKek"/> to <paramref name="newKek"/> inside a key-store transaction (protector change).</summary>
    internal static void Reseal(IKeyStoreTransaction tx, SecretBytes oldKek, SecretBytes newKek, string storeId)
    {
        if (tx.Records is not { } records) return;
        foreach (var name in records.Names(""))
        {
            var plaintext = RecordSealing.Open(oldKek, storeId, name, records.Read(name)!);
            try
            {
                records.Write(name, RecordSealing.Seal(newKek, storeId, name, plaintext));
            }
            finally
            {
                RecordKeyCodec.Zero(plaintext);
            }
        }
    }

    private IRecordTable Table => _store.Records ?? throw new KeyStoreException("This key store does not keep protected records.");
}

/// <summary>The records as seen inside one <see cref="ProtectedRecords.Update{T}"/>.</summary>
public sealed class ProtectedRecordTransaction
{
    private readonly IRecordTableTransaction _table;
    private readonly SecretBytes _kek;
    private readonly string _storeId;
    private readonly CryptoProviders _providers;

    internal ProtectedRecordTransaction(IRecordTableTransaction table, SecretBytes kek, string storeId, CryptoProviders providers)
    {
        _table = table;
        _kek = kek;
        _storeId = storeId;
        _providers = providers;
    }

    public byte[]? Get(string name)
    {
        RecordSealing.CheckName(name);
        var sealedRecord = _table.Read(name);
        return sealedRecord is null ? null : RecordSealing.Open(_kek, _storeId, name, sealedRecord);
    }

    public IReadOnlyList<string> Names(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return _table.Names(prefix);
    }

    public void Put(string name, ReadOnlySpan<byte> value) => _table.Write(name, RecordSealing.Seal(_kek, _storeId, name, value));

    public bool Delete(string name)
    {
        RecordSealing.CheckName(name);
        return _table.Delete(name);
    }

    public void PutKey(string name, PrivateKey key, ReadOnlySpan<byte> metadata = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var plaintext = RecordKeyCodec.Encode(key, metadata);
        try
        {
            Put(name, plaintext);
        }
        finally
        {
            RecordKeyCodec.Zero(plaintext);
        }
    }

    public StoredKey? GetKey(string name)
    {
        var plaintext = Get(name);
        if (plaintext is null) return null;
        try
        {
            return RecordKeyCodec.Decode(name, plaintext, _providers);
        }
        finally
        {
            RecordKeyCodec.Zero(plaintext);
        }
    }
}
