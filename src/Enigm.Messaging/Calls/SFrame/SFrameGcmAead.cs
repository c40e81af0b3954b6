using System.Security.Cryptography;

namespace Enigm.Messaging.Calls.SFrame;

/// <summary>AES-GCM with a 128-bit tag (suites AES_128_GCM_SHA256_128 and AES_256_GCM_SHA512_128), from the BCL.</summary>
internal sealed class SFrameGcmAead(SFrameCipherSuite suite, ReadOnlySpan<byte> key) : SFrameAead(suite)
{
    private readonly AesGcm _gcm = new(key, suite.TagSize);

    public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertextAndTag) =>
        _gcm.Encrypt(nonce, plaintext, ciphertextAndTag[..plaintext.Length], ciphertextAndTag.Slice(plaintext.Length, Suite.TagSize), aad);

    public override bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext)
    {
        var length = ciphertextAndTag.Length - Suite.TagSize;
        try
        {
            _gcm.Decrypt(nonce, ciphertextAndTag[..length], ciphertextAndTag[length..], plaintext[..length], aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // The BCL has already cleared the plaintext buffer.
            return false;
        }
    }

    public override void Dispose() => _gcm.Dispose();
}
