using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Primitives;

/// <summary>
/// AEAD with a 32-byte key and 12-byte nonce. The ciphertext is ciphertext ‖ 16-byte tag.
/// <see cref="Decrypt"/> throws <see cref="Errors.DecryptionFailedException"/> on any authentication
/// failure and <see cref="Errors.MalformedInputException"/> on wrong key, nonce or buffer sizes.
/// </summary>
public interface IAead
{
    AeadAlgorithm Algorithm { get; }

    string Provider { get; }

    /// <summary>Writes plaintext.Length + 16 bytes into <paramref name="ciphertextAndTag"/>.</summary>
    void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextAndTag);

    /// <summary>Writes ciphertextAndTag.Length - 16 bytes into <paramref name="plaintext"/>, or throws.</summary>
    void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext);
}

/// <summary>RFC 5869 HKDF. Throws <see cref="Errors.MalformedInputException"/> for an output length over 255·HashLen.</summary>
public interface IKdf
{
    KdfAlgorithm Algorithm { get; }

    string Provider { get; }

    void DeriveKey(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output);
}

/// <summary>
/// RFC 2104 HMAC with a key of any length (keys longer than the hash block are hashed first, §2).
/// Throws <see cref="Errors.MalformedInputException"/> when the tag buffer is not the full tag size.
/// </summary>
public interface IMac
{
    MacAlgorithm Algorithm { get; }

    string Provider { get; }

    void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag);

    /// <summary>
    /// Two tags under one key, each exactly what <see cref="Compute"/> gives for its data: the shape of the
    /// Double Ratchet's KDF_CK (message key = HMAC(ck, 0x01), next chain key = HMAC(ck, 0x02)). A provider
    /// that can processes the key's inner and outer pads once for both (two compression blocks fewer than
    /// two separate calls, RFC 2104 §4 "Implementation note"). Either tag may overlap the key.
    /// </summary>
    void ComputePair(ReadOnlySpan<byte> key, ReadOnlySpan<byte> firstData, Span<byte> firstTag, ReadOnlySpan<byte> secondData, Span<byte> secondTag)
    {
        // The key may be overwritten by the first tag, so both are computed from a copy.
        Span<byte> keyCopy = key.Length <= 128 ? stackalloc byte[key.Length] : new byte[key.Length];
        key.CopyTo(keyCopy);
        try
        {
            Compute(keyCopy, firstData, firstTag);
            Compute(keyCopy, secondData, secondTag);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(keyCopy);
        }
    }
}

public interface IHash
{
    HashAlgorithm Algorithm { get; }

    string Provider { get; }

    void Hash(ReadOnlySpan<byte> data, Span<byte> digest);
}

/// <summary>
/// RFC 5649 key wrap with padding. <see cref="Unwrap"/> throws <see cref="Errors.DecryptionFailedException"/>
/// when the integrity check fails and <see cref="Errors.MalformedInputException"/> for impossible lengths.
/// </summary>
public interface IKeyWrap
{
    KeyWrapAlgorithm Algorithm { get; }

    string Provider { get; }

    byte[] Wrap(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> keyToWrap);

    byte[] Unwrap(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> wrappedKey);
}
