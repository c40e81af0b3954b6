using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;

namespace Enigm.Keys.Storage;

/// <summary>
/// Authenticates a whole key row (metadata and wrapped material) with HMAC-SHA-256 under a key derived
/// from the KEK (HKDF-SHA-256, RFC 5869), so that editing a row's state, dates or links — not only its
/// wrapped bytes — is detected and reported with the key id.
/// </summary>
public sealed class RowAuthenticator : IDisposable
{
    private static readonly byte[] Info = "enigm-keys/row-mac/v1"u8.ToArray();
    private readonly SecretBytes _macKey;

    public RowAuthenticator(SecretBytes kek, string storeId)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, kek.Span, key, System.Text.Encoding.UTF8.GetBytes(storeId), Info);
        _macKey = SecretBytes.TakeOwnership(key);
    }

    public byte[] Compute(KeyRecord k, WrappedKey? wrapped)
    {
        var w = CanonicalCbor.CreateWriter();
        w.WriteStartArray(20);
        w.WriteTextString(k.Id);
        w.WriteTextString(k.SeriesId);
        w.WriteInt32(k.Version);
        w.WriteTextString(k.Purpose.ToName());
        w.WriteInt32(k.SuiteId);
        w.WriteTextString(k.Algorithm);
        w.WriteTextString(k.State.ToName());
        w.WriteByteString(k.PublicKey);
        WriteTime(w, k.CreatedAt);
        WriteTime(w, k.ActivatedAt);
        WriteTime(w, k.DeactivatedAt);
        WriteTime(w, k.ExpiresAt);
        w.WriteInt64((long)k.Cryptoperiod.TotalSeconds);
        WriteTime(w, k.GraceUntil);
        WriteText(w, k.PredecessorId);
        WriteText(w, k.SuccessorId);
        WriteText(w, k.Reason);
        WriteBytes(w, wrapped?.Nonce);
        WriteBytes(w, wrapped?.Ciphertext);
        w.WriteTextString("enigm-keys/row/v1");
        w.WriteEndArray();
        return HMACSHA256.HashData(_macKey.Span, w.Encode());
    }

    /// <summary>MAC of a store setting (name and value), so an edited setting is detected like an edited row.</summary>
    public byte[] ComputeSetting(string name, string value)
    {
        var w = CanonicalCbor.CreateWriter();
        w.WriteStartArray(3);
        w.WriteTextString("enigm-keys/setting/v1");
        w.WriteTextString(name);
        w.WriteTextString(value);
        w.WriteEndArray();
        return HMACSHA256.HashData(_macKey.Span, w.Encode());
    }

    public bool Verify(KeyRow row) =>
        row.Mac.Length == 32 && CryptographicOperations.FixedTimeEquals(row.Mac, Compute(row.Record, row.Wrapped));

    public void Dispose() => _macKey.Dispose();

    private static void WriteTime(System.Formats.Cbor.CborWriter w, DateTimeOffset? t)
    {
        if (t is { } v) w.WriteInt64(v.ToUnixTimeMilliseconds());
        else w.WriteNull();
    }

    private static void WriteText(System.Formats.Cbor.CborWriter w, string? s)
    {
        if (s is null) w.WriteNull();
        else w.WriteTextString(s);
    }

    private static void WriteBytes(System.Formats.Cbor.CborWriter w, byte[]? b)
    {
        if (b is null) w.WriteNull();
        else w.WriteByteString(b);
    }
}
