using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Model;
using Enigm.Keys.Protection;
using Enigm.Keys.Storage;
using Xunit;

namespace Enigm.Keys.Tests.Storage;

/// <summary>
/// Known answers for the row MAC (docs/keys.md, "Authenticated rows"): the MAC key is HKDF-SHA-256
/// (RFC 5869) of the KEK with the store id as salt and "enigm-keys/row-mac/v1" as info,
/// and the MAC is HMAC-SHA-256 of the row's canonical CBOR. The expected values are computed here
/// from those documented inputs, with RFC 5869's extract-and-expand written out by hand, so a store
/// that skipped the derivation (an all-zero or raw-KEK MAC key) or changed the row layout fails.
/// </summary>
public sealed class RowMacKnownAnswerTests
{
    private const string StoreId = "store-0123456789abcdef";
    private static readonly byte[] Kek = [.. Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i))];

    private static readonly KeyRecord FullRecord = new()
    {
        Id = "dev-1.v2",
        SeriesId = "dev-1",
        Version = 2,
        Purpose = KeyPurpose.DeviceSigning,
        SuiteId = 0x0102,
        Algorithm = "ML-DSA-65",
        State = KeyState.Deactivated,
        PublicKey = [1, 2, 3, 4, 5],
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero),
        ActivatedAt = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero),
        DeactivatedAt = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2027, 1, 3, 0, 0, 0, TimeSpan.Zero),
        Cryptoperiod = TimeSpan.FromDays(365) + TimeSpan.FromSeconds(1),
        GraceUntil = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero),
        PredecessorId = "dev-1.v1",
        SuccessorId = "dev-1.v3",
        Reason = "rotation",
    };

    private static readonly KeyRecord SparseRecord = new()
    {
        Id = "rel-9.v1",
        SeriesId = "rel-9",
        Version = 1,
        Purpose = KeyPurpose.ReleaseSigning,
        SuiteId = 1,
        Algorithm = "SLH-DSA-SHA2-128s",
        State = KeyState.PreActivation,
        PublicKey = [9],
        CreatedAt = new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero),
        Cryptoperiod = TimeSpan.FromHours(1),
    };

    private static readonly WrappedKey Wrapped = new([7, 7, 7], [8, 8, 8, 8]);

    [Fact]
    public void Row_mac_key_is_hkdf_sha256_of_the_kek_salted_with_the_store_id()
    {
        // RFC 5869 2.2 (extract) and 2.3 (expand, one block for L = 32), written out.
        var prk = HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(StoreId), Kek);
        byte[] infoAndCounter = [.. "enigm-keys/row-mac/v1"u8, 0x01];
        var expected = HMACSHA256.HashData(prk, infoAndCounter);

        // The hand-written derivation agrees with the BCL's HKDF for these inputs.
        var bcl = HKDF.DeriveKey(HashAlgorithmName.SHA256, Kek, 32, System.Text.Encoding.UTF8.GetBytes(StoreId), "enigm-keys/row-mac/v1"u8.ToArray());
        Assert.Equal(expected, bcl);

        using var authenticator = NewAuthenticator(StoreId);
        Assert.Equal(HMACSHA256.HashData(expected, ExpectedRowEncoding(FullRecord, Wrapped)), authenticator.Compute(FullRecord, Wrapped));
    }

    [Fact]
    public void Row_mac_is_not_keyed_with_zeros_or_with_the_kek_itself()
    {
        using var authenticator = NewAuthenticator(StoreId);
        var mac = authenticator.Compute(FullRecord, Wrapped);
        var encoding = ExpectedRowEncoding(FullRecord, Wrapped);

        Assert.NotEqual(HMACSHA256.HashData(new byte[32], encoding), mac);
        Assert.NotEqual(HMACSHA256.HashData(Kek, encoding), mac);
    }

    [Fact]
    public void Row_mac_covers_absent_dates_links_and_material_as_nulls()
    {
        using var authenticator = NewAuthenticator(StoreId);
        Assert.Equal(HMACSHA256.HashData(MacKey(StoreId), ExpectedRowEncoding(SparseRecord, null)), authenticator.Compute(SparseRecord, null));
    }

    [Fact]
    public void Setting_mac_is_hmac_of_the_setting_name_and_value_under_the_row_mac_key()
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartArray(3);
        w.WriteTextString("enigm-keys/setting/v1");
        w.WriteTextString("rotation-policy");
        w.WriteTextString("P90D");
        w.WriteEndArray();

        using var authenticator = NewAuthenticator(StoreId);
        Assert.Equal(HMACSHA256.HashData(MacKey(StoreId), w.Encode()), authenticator.ComputeSetting("rotation-policy", "P90D"));
    }

    [Fact]
    public void Another_store_id_or_kek_gives_another_mac()
    {
        using var authenticator = NewAuthenticator(StoreId);
        using var otherStore = NewAuthenticator("store-other");
        using var otherKek = new RowAuthenticator(SecretBytes.CopyFrom(new byte[32]), StoreId);

        var mac = authenticator.Compute(FullRecord, Wrapped);
        Assert.NotEqual(mac, otherStore.Compute(FullRecord, Wrapped));
        Assert.NotEqual(mac, otherKek.Compute(FullRecord, Wrapped));
    }

    [Fact]
    public void Verify_accepts_only_the_exact_32_byte_mac()
    {
        using var authenticator = NewAuthenticator(StoreId);
        var mac = authenticator.Compute(FullRecord, Wrapped);
        Assert.True(authenticator.Verify(new KeyRow(FullRecord, Wrapped, mac)));

        var flipped = (byte[])mac.Clone();
        flipped[31] ^= 1;
        Assert.False(authenticator.Verify(new KeyRow(FullRecord, Wrapped, flipped)));
        Assert.False(authenticator.Verify(new KeyRow(FullRecord, Wrapped, mac[..31])));
        Assert.False(authenticator.Verify(new KeyRow(FullRecord, Wrapped, [.. mac, 0])));
        Assert.False(authenticator.Verify(new KeyRow(FullRecord with { State = KeyState.Active }, Wrapped, mac)));
        Assert.False(authenticator.Verify(new KeyRow(FullRecord, null, mac)));
    }

    [Fact]
    public void A_disposed_authenticator_computes_nothing()
    {
        var authenticator = NewAuthenticator(StoreId);
        authenticator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => authenticator.Compute(FullRecord, Wrapped));
    }

    private static RowAuthenticator NewAuthenticator(string storeId)
    {
        using var kek = SecretBytes.CopyFrom(Kek);
        return new RowAuthenticator(kek, storeId);
    }

    private static byte[] MacKey(string storeId) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Kek, 32, System.Text.Encoding.UTF8.GetBytes(storeId), "enigm-keys/row-mac/v1"u8.ToArray());

    /// <summary>The row layout RowAuthenticator documents: a 20-item CBOR array, times as Unix milliseconds, absent values as null.</summary>
    private static byte[] ExpectedRowEncoding(KeyRecord k, WrappedKey? wrapped)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartArray(20);
        w.WriteTextString(k.Id);
        w.WriteTextString(k.SeriesId);
        w.WriteInt32(k.Version);
        w.WriteTextString(k.Purpose.ToName());
        w.WriteInt32(k.SuiteId);
        w.WriteTextString(k.Algorithm);
        w.WriteTextString(k.State.ToName());
        w.WriteByteString(k.PublicKey);
        Time(k.CreatedAt);
        Time(k.ActivatedAt);
        Time(k.DeactivatedAt);
        Time(k.ExpiresAt);
        w.WriteInt64((long)k.Cryptoperiod.TotalSeconds);
        Time(k.GraceUntil);
        Text(k.PredecessorId);
        Text(k.SuccessorId);
        Text(k.Reason);
        Bytes(wrapped?.Nonce);
        Bytes(wrapped?.Ciphertext);
        w.WriteTextString("enigm-keys/row/v1");
        w.WriteEndArray();
        return w.Encode();

        void Time(DateTimeOffset? t)
        {
            if (t is { } v) w.WriteInt64(v.ToUnixTimeMilliseconds());
            else w.WriteNull();
        }

        void Text(string? s)
        {
            if (s is null) w.WriteNull();
            else w.WriteTextString(s);
        }

        void Bytes(byte[]? b)
        {
            if (b is null) w.WriteNull();
            else w.WriteByteString(b);
        }
    }
}
