namespace Enigm.Messaging.Calls.SFrame;

/// <summary>
/// The AEAD of one SFrame key (RFC 9605 §4.4: AEAD.Encrypt / AEAD.Decrypt, tag appended to the ciphertext as
/// RFC 5116 does). One instance holds one key and is reused for every frame under it, so the hot path
/// allocates nothing. Not thread-safe: a sender or receiver owns its instances.
/// </summary>
internal abstract class SFrameAead : IDisposable
{
    protected SFrameAead(SFrameCipherSuite suite) => Suite = suite;

    public SFrameCipherSuite Suite { get; }

    /// <summary>A new AEAD for <paramref name="key"/> (Nk bytes of the suite).</summary>
    public static SFrameAead Create(SFrameCipherSuite suite, ReadOnlySpan<byte> key)
    {
        if (key.Length != suite.KeySize)
            throw new ArgumentException($"{suite.Name} needs a {suite.KeySize}-byte key, not {key.Length}.", nameof(key));
        return suite.IsGcm ? new SFrameGcmAead(suite, key) : new SFrameCtrHmacAead(suite, key);
    }

    /// <summary>Writes plaintext.Length + Nt bytes (ciphertext then tag) into <paramref name="ciphertextAndTag"/>.</summary>
    public abstract void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertextAndTag);

    /// <summary>
    /// Checks the tag and writes ciphertextAndTag.Length - Nt bytes of plaintext; false when the tag does not
    /// verify (then <paramref name="plaintext"/> holds no plaintext).
    /// </summary>
    public abstract bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext);

    public abstract void Dispose();
}
