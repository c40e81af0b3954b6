using System.Security.Cryptography;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Attachments;

/// <summary>
/// The per-message key schedule of c2sp.org/chunked-encryption ("Key derivation"), instantiated as
/// Cobblestone-256: AEAD_AES_256_GCM with HKDF-Expand over SHA-512.
/// <c>key ‖ base nonce ‖ commitment = HKDF-Expand(prk = input key,
/// info = "c2sp.org/chunked-encryption@v1+" ‖ "AEAD_AES_256_GCM" ‖ 0x00 ‖ salt ‖ context)</c>, with a
/// 32-byte key, a 12-byte base nonce and a 32-byte commitment.
/// </summary>
internal static class ChunkedEncryptionKeys
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int CommitmentSize = 32;
    public const int SaltSize = 24;
    public const int HeaderSize = SaltSize + CommitmentSize;

    private const int OutputSize = KeySize + NonceSize + CommitmentSize;

    private static readonly byte[] InfoPrefix = "c2sp.org/chunked-encryption@v1+AEAD_AES_256_GCM\0"u8.ToArray();

    public static void CheckInputKey(ReadOnlySpan<byte> inputKey)
    {
        if (inputKey.Length != KeySize)
            throw new AttachmentKeyInvalidException($"An attachment key is {KeySize} bytes, not {inputKey.Length}.");
    }

    /// <summary>Derives the AEAD key, base nonce and commitment for one message.</summary>
    public static void Derive(
        ReadOnlySpan<byte> inputKey, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> context,
        Span<byte> aeadKey, Span<byte> baseNonce, Span<byte> commitment)
    {
        CheckInputKey(inputKey);
        var info = new byte[InfoPrefix.Length + SaltSize + context.Length];
        InfoPrefix.CopyTo(info, 0);
        salt.CopyTo(info.AsSpan(InfoPrefix.Length));
        context.CopyTo(info.AsSpan(InfoPrefix.Length + SaltSize));

        Span<byte> output = stackalloc byte[OutputSize];
        try
        {
            HkdfExpandSha512(inputKey, info, output);
            output[..KeySize].CopyTo(aeadKey);
            output.Slice(KeySize, NonceSize).CopyTo(baseNonce);
            output[(KeySize + NonceSize)..].CopyTo(commitment);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>
    /// RFC 5869 §2.3 HKDF-Expand with HMAC-SHA-512, written out because the BCL's HKDF.Expand refuses a
    /// PRK shorter than the hash (64 bytes) while the spec uses the 32-byte input key as the PRK
    /// (it skips Extract on purpose, "Rationale"). T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i).
    /// </summary>
    private static void HkdfExpandSha512(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
    {
        const int HashSize = 64;
        var block = new byte[HashSize + info.Length + 1];
        Span<byte> t = stackalloc byte[HashSize];
        try
        {
            var previous = 0;
            for (byte counter = 1; (counter - 1) * HashSize < output.Length; counter++)
            {
                t[..previous].CopyTo(block);
                info.CopyTo(block.AsSpan(previous));
                block[previous + info.Length] = counter;
                HMACSHA512.HashData(prk, block.AsSpan(0, previous + info.Length + 1), t);
                var offset = (counter - 1) * HashSize;
                t[..Math.Min(HashSize, output.Length - offset)].CopyTo(output[offset..]);
                previous = HashSize;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(t);
            CryptographicOperations.ZeroMemory(block);
        }
    }

    /// <summary>
    /// "AEAD usage": the chunk nonce is the base nonce XOR the chunk index as a big-endian integer as
    /// wide as the nonce (the index stays below 2^38, so only the last 5 bytes ever change).
    /// </summary>
    public static void ChunkNonce(ReadOnlySpan<byte> baseNonce, long index, Span<byte> nonce)
    {
        baseNonce.CopyTo(nonce);
        for (var i = 0; i < 8; i++)
            nonce[NonceSize - 1 - i] ^= (byte)(index >> (8 * i));
    }
}
