using System.Security.Cryptography;
using Enigm.Keys.Records;

namespace Enigm.Client.State;

/// <summary>
/// Record names are stored in the clear (only values are sealed), so a name must not carry who this device talks to.
/// Contact names, accounts and device ids inside names are replaced by HMAC-SHA-256 under a random key kept in a
/// sealed record (<c>client/name-key</c>): stable lookups, nothing readable from the file. Values keep the real names.
/// </summary>
internal sealed class RecordNamer
{
    private const string KeyRecord = "client/name-key";
    private readonly byte[] _key;

    private RecordNamer(byte[] key) => _key = key;

    /// <summary>The store's name key, made on first use.</summary>
    public static RecordNamer For(ProtectedRecords records) => new(records.Update(tx =>
    {
        if (tx.Get(KeyRecord) is { Length: 32 } key) return key;
        var fresh = RandomNumberGenerator.GetBytes(32);
        tx.Put(KeyRecord, fresh);
        return fresh;
    }));

    /// <summary>An opaque, stable stand-in for <paramref name="value"/> (32 hex characters).</summary>
    public string Hide(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, System.Text.Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
