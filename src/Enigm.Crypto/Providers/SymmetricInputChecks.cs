using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;

namespace Enigm.Crypto.Providers;

/// <summary>
/// Size checks shared by every AEAD, KDF, hash and key-wrap provider, so that all providers reject the
/// same inputs with the same typed error before any library sees them.
/// </summary>
internal static class SymmetricInputChecks
{
    public static void AeadEncrypt(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, int plaintextLength, int outputLength)
    {
        AeadKeyAndNonce(algorithm, key, nonce);
        if (outputLength != plaintextLength + algorithm.TagSize)
            throw new MalformedInputException($"{algorithm.Name}: the output buffer must be the plaintext length plus {algorithm.TagSize} bytes.");
    }

    public static void AeadDecrypt(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, int ciphertextLength, int outputLength)
    {
        AeadKeyAndNonce(algorithm, key, nonce);
        if (ciphertextLength < algorithm.TagSize)
            throw new MalformedInputException($"{algorithm.Name}: ciphertext shorter than the {algorithm.TagSize}-byte tag.");
        if (outputLength != ciphertextLength - algorithm.TagSize)
            throw new MalformedInputException($"{algorithm.Name}: the plaintext buffer must be the ciphertext length minus {algorithm.TagSize} bytes.");
    }

    /// <summary>RFC 5869 2.3: L ≤ 255·HashLen; an empty output is refused as a caller error.</summary>
    public static void KdfOutput(KdfAlgorithm algorithm, int outputLength)
    {
        if (outputLength < 1 || outputLength > algorithm.MaxOutputSize)
            throw new MalformedInputException($"{algorithm.Name}: output length {outputLength} is outside 1..{algorithm.MaxOutputSize} (RFC 5869 2.3).");
    }

    public static void HashOutput(HashAlgorithm algorithm, int digestLength)
    {
        if (digestLength != algorithm.Size)
            throw new MalformedInputException($"{algorithm.Name}: the digest buffer must be {algorithm.Size} bytes.");
    }

    public static void MacOutput(MacAlgorithm algorithm, int tagLength)
    {
        if (tagLength != algorithm.TagSize)
            throw new MalformedInputException($"{algorithm.Name}: the tag buffer must be {algorithm.TagSize} bytes.");
    }

    /// <summary>The public key-wrap API takes a 256-bit key-encryption key only.</summary>
    public static void KeyWrapKek(KeyWrapAlgorithm algorithm, ReadOnlySpan<byte> keyEncryptionKey)
    {
        if (keyEncryptionKey.Length != 32)
            throw new MalformedInputException($"{algorithm.Name}: the key-encryption key must be 32 bytes.");
    }

    /// <summary>Known-answer runs may use any AES key size.</summary>
    public static void AnyAesKek(ReadOnlySpan<byte> keyEncryptionKey)
    {
        if (keyEncryptionKey.Length is not (16 or 24 or 32))
            throw new MalformedInputException("AES-KWP: the key-encryption key must be 16, 24 or 32 bytes.");
    }

    /// <summary>RFC 5649 4.1: the key to wrap has 1 to 2^32 octets.</summary>
    public static void KeyToWrap(ReadOnlySpan<byte> keyToWrap)
    {
        if (keyToWrap.IsEmpty)
            throw new MalformedInputException("AES-KWP: the key to wrap is empty (RFC 5649 4.1 needs at least one octet).");
    }

    /// <summary>RFC 5649 4.2: a wrapped key is at least two 64-bit blocks and a whole number of blocks.</summary>
    public static void WrappedKey(ReadOnlySpan<byte> wrappedKey)
    {
        if (wrappedKey.Length < 16 || wrappedKey.Length % 8 != 0)
            throw new MalformedInputException($"AES-KWP: a wrapped key of {wrappedKey.Length} bytes is impossible (RFC 5649 4.2 needs n ≥ 2 blocks of 8 bytes).");
    }

    private static void AeadKeyAndNonce(AeadAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        if (key.Length != algorithm.KeySize)
            throw new MalformedInputException($"{algorithm.Name}: the key must be {algorithm.KeySize} bytes, not {key.Length}.");
        if (nonce.Length != algorithm.NonceSize)
            throw new MalformedInputException($"{algorithm.Name}: the nonce must be {algorithm.NonceSize} bytes, not {nonce.Length}.");
    }
}
