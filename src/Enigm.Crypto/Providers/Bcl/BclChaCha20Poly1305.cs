using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.Providers.Bcl;

/// <summary>RFC 8439 ChaCha20-Poly1305 through System.Security.Cryptography.ChaCha20Poly1305.</summary>
internal sealed class BclChaCha20Poly1305 : IAead
{
    public AeadAlgorithm Algorithm => AeadAlgorithm.ChaCha20Poly1305;

    public string Provider => ProviderNames.Bcl;

    public static bool IsSupported => ChaCha20Poly1305.IsSupported;

    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextAndTag)
    {
        SymmetricInputChecks.AeadEncrypt(Algorithm, key, nonce, plaintext.Length, ciphertextAndTag.Length);
        var split = plaintext.Length;
        try
        {
            using var aead = new ChaCha20Poly1305(key);
            aead.Encrypt(nonce, plaintext, ciphertextAndTag[..split], ciphertextAndTag[split..], associatedData);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new MalformedInputException("ChaCha20-Poly1305 rejected the inputs.", e);
        }
    }

    public void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        SymmetricInputChecks.AeadDecrypt(Algorithm, key, nonce, ciphertextAndTag.Length, plaintext.Length);
        var split = ciphertextAndTag.Length - Algorithm.TagSize;
        try
        {
            using var aead = new ChaCha20Poly1305(key);
            aead.Decrypt(nonce, ciphertextAndTag[..split], ciphertextAndTag[split..], plaintext, associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new DecryptionFailedException("ChaCha20-Poly1305 authentication failed.", e);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new MalformedInputException("ChaCha20-Poly1305 rejected the inputs.", e);
        }
    }
}
