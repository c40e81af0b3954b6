using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;

namespace Enigm.Keys.Records;

/// <summary>
/// Seals a named record with AES-256-GCM (NIST SP 800-38D) under the key ring's KEK, as
/// <see cref="Protection.KeyWrapping"/> wraps private keys: a fresh random 96-bit nonce per seal (SP 800-38D
/// 8.2.2), and associated data CBOR <c>["enigm-keys/record/v1", store id, name]</c>, so a record moved to another
/// name or copied into another store no longer opens. The label differs from the key-wrapping label, so a wrapped
/// key row can never be opened as a record or the other way round.
/// </summary>
public static class RecordSealing
{
    public const string DomainLabel = "enigm-keys/record/v1";

    /// <summary>Largest record plaintext (a device log is at most 1 MiB; sessions and message stores are far smaller).</summary>
    public const int MaxRecordSize = 8 * 1024 * 1024;

    /// <summary>Longest record name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 512;

    private static readonly AeadAlgorithm Algorithm = AeadAlgorithm.Aes256Gcm;

    public static SealedRecord Seal(SecretBytes kek, string storeId, string name, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(kek);
        CheckName(name);
        if (plaintext.Length > MaxRecordSize)
            throw new ArgumentOutOfRangeException(nameof(plaintext), $"A protected record holds at most {MaxRecordSize} bytes.");
        var nonce = RandomNumberGenerator.GetBytes(Algorithm.NonceSize);
        var ciphertext = new byte[plaintext.Length + Algorithm.TagSize];
        CryptoProviders.Default.Aead(Algorithm).Encrypt(kek.Span, nonce, plaintext, AssociatedData(storeId, name), ciphertext);
        return new SealedRecord(nonce, ciphertext);
    }

    /// <summary>Opens a record into a pinned array the caller zeroes; any failure is <see cref="RecordIntegrityException"/>.</summary>
    public static byte[] Open(SecretBytes kek, string storeId, string name, SealedRecord sealedRecord)
    {
        ArgumentNullException.ThrowIfNull(kek);
        ArgumentNullException.ThrowIfNull(sealedRecord);
        if (sealedRecord.Nonce is null || sealedRecord.Nonce.Length != Algorithm.NonceSize)
            throw new RecordIntegrityException(name, $"nonce must be {Algorithm.NonceSize} bytes");
        if (sealedRecord.Ciphertext is null
            || sealedRecord.Ciphertext.Length < Algorithm.TagSize
            || sealedRecord.Ciphertext.Length > MaxRecordSize + Algorithm.TagSize)
            throw new RecordIntegrityException(name, "the sealed record has an impossible length");

        var plaintext = GC.AllocateArray<byte>(sealedRecord.Ciphertext.Length - Algorithm.TagSize, pinned: true);
        try
        {
            CryptoProviders.Default.Aead(Algorithm).Decrypt(kek.Span, sealedRecord.Nonce, sealedRecord.Ciphertext, AssociatedData(storeId, name), plaintext);
            return plaintext;
        }
        catch (DecryptionFailedException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new RecordIntegrityException(name, "authentication failed (edited, moved to another name or store, or another key-encryption key)");
        }
        catch (MalformedInputException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new RecordIntegrityException(name, "the sealed record is malformed");
        }
    }

    internal static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            throw new ArgumentOutOfRangeException(nameof(name), $"A record name is at most {MaxNameBytes} UTF-8 bytes.");
    }

    private static byte[] AssociatedData(string storeId, string name)
    {
        ArgumentNullException.ThrowIfNull(storeId);
        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(3);
        writer.WriteTextString(DomainLabel);
        writer.WriteTextString(storeId);
        writer.WriteTextString(name);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
