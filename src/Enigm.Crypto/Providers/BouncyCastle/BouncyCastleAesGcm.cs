using Enigm.Crypto.Algorithms;
using Enigm.Crypto.KnownAnswers;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Security;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// AES-256-GCM (NIST SP 800-38D) from BouncyCastle's <see cref="GcmBlockCipher"/> over its AES engine
/// (hardware AES where the runtime exposes it). For known answers it also runs AES-128/192 keys, nonces
/// of any non-zero length (SP 800-38D 7.1 GHASH-derived J0) and 96..128-bit tags.
/// </summary>
internal sealed class BouncyCastleAesGcm() : BouncyCastleAead(AeadAlgorithm.Aes256Gcm), IAeadAnySize
{
    // SP 800-38D 5.2.1.1: IVs of 1 to 2^64−1 bits; BouncyCastle takes whole bytes and tags of 32..128 bits,
    // of which SP 800-38D 5.2.1.2 recommends 96..128.
    public bool Supports(int keySize, int nonceSize, int tagSize) =>
        keySize is 16 or 24 or 32 && nonceSize >= 1 && tagSize is >= 12 and <= 16;

    public void EncryptAnySize(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertext, Span<byte> tag)
    {
        var output = new byte[ciphertext.Length + tag.Length];
        Seal(CreateCipher(), key, nonce, tag.Length, plaintext, associatedData, output);
        output.AsSpan(0, ciphertext.Length).CopyTo(ciphertext);
        output.AsSpan(ciphertext.Length).CopyTo(tag);
    }

    public bool DecryptAnySize(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        var input = new byte[ciphertext.Length + tag.Length];
        ciphertext.CopyTo(input);
        tag.CopyTo(input.AsSpan(ciphertext.Length));
        return Open(CreateCipher(), key, nonce, tag.Length, input, associatedData, plaintext);
    }

    protected override IAeadCipher CreateCipher() => new GcmBlockCipher(AesUtilities.CreateEngine());
}
