namespace Enigm.Crypto.KnownAnswers;

/// <summary>
/// Known-answer access to an AEAD provider beyond Enigm's fixed sizes (AES-128/192 keys, GCM nonces other
/// than 96 bits, shorter tags), so that more of the upstream vectors run against the real library code.
/// Never used outside known-answer runs: the public <see cref="Primitives.IAead"/> API rejects these sizes.
/// </summary>
internal interface IAeadAnySize
{
    /// <summary>True when this provider can run the given key, nonce and tag sizes (bytes).</summary>
    bool Supports(int keySize, int nonceSize, int tagSize);

    void EncryptAnySize(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertext, Span<byte> tag);

    /// <summary>Returns false (and a zeroed <paramref name="plaintext"/>) when authentication fails.</summary>
    bool DecryptAnySize(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext);
}

/// <summary>
/// Known-answer access to an RFC 5649 provider with 128- and 192-bit key-encryption keys as well as the
/// 256-bit one that the public <see cref="Primitives.IKeyWrap"/> API accepts. Errors are the same typed
/// exceptions as the public API.
/// </summary>
internal interface IKeyWrapAnyKek
{
    byte[] WrapAnyKek(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> keyToWrap);

    byte[] UnwrapAnyKek(ReadOnlySpan<byte> keyEncryptionKey, ReadOnlySpan<byte> wrappedKey);
}
