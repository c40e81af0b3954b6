using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>AES-256-GCM (NIST SP 800-38D) through System.Security.Cryptography.AesGcm (OpenSSL or CNG).</summary>
internal sealed class BclAesGcm : IAead, IAeadAnySize
{
    public AeadAlgorithm Algorithm => AeadAlgorithm.Aes256Gcm;

    public string Provider => ProviderNames.Bcl;

    public static bool IsSupported => AesGcm.IsSupported;

    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextAndTag)
    {
        SymmetricInputChecks.AeadEncrypt(Algorithm, key, nonce, plaintext.Length, ciphertextAndTag.Length);
        var split = plaintext.Length;
        EncryptAnySize(key, nonce, plaintext, associatedData, ciphertextAndTag[..split], ciphertextAndTag[split..]);
    }

    public void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        SymmetricInputChecks.AeadDecrypt(Algorithm, key, nonce, ciphertextAndTag.Length, plaintext.Length);
        var split = ciphertextAndTag.Length - Algorithm.TagSize;
        if (!DecryptAnySize(key, nonce, ciphertextAndTag[..split], ciphertextAndTag[split..], associatedData, plaintext))
            throw new DecryptionFailedException("AES-256-GCM authentication failed.");
    }

    // OpenSSL and CNG take AES-128/192/256 keys, a 96-bit nonce only, and 96..128-bit tags.
    public bool Supports(int keySize, int nonceSize, int tagSize) =>
        keySize is 16 or 24 or 32 && nonceSize == 12 && tagSize is >= 12 and <= 16;

    public void EncryptAnySize(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertext, Span<byte> tag)
    {
        try
        {
            using var gcm = new AesGcm(key, tag.Length);
            gcm.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new MalformedInputException("AES-GCM rejected the key, nonce or buffer sizes.", e);
        }
    }

    public bool DecryptAnySize(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        AesGcm gcm;
        try
        {
            gcm = new AesGcm(key, tag.Length);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new MalformedInputException("AES-GCM rejected the key or tag size.", e);
        }

        using (gcm)
        {
            try
            {
                // AesGcm clears the plaintext buffer itself when the tag does not match.
                gcm.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw new MalformedInputException("AES-GCM rejected the nonce or buffer sizes.", e);
            }
        }
    }
}
