using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using AeadAlgorithm = Enigm.Crypto.Algorithms.AeadAlgorithm;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// An AEAD from BouncyCastle's <see cref="IAeadCipher"/> modes. A fresh cipher per call (BouncyCastle's
/// GCM refuses to reuse a key and nonce on one instance). BouncyCastle may write plaintext before it has
/// checked the tag, so a failed decryption zeroes the output before throwing.
/// </summary>
internal abstract class BouncyCastleAead(AeadAlgorithm algorithm) : IAead
{
    public AeadAlgorithm Algorithm { get; } = algorithm;

    public string Provider => ProviderNames.BouncyCastle;

    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextAndTag)
    {
        SymmetricInputChecks.AeadEncrypt(Algorithm, key, nonce, plaintext.Length, ciphertextAndTag.Length);
        Seal(CreateCipher(), key, nonce, Algorithm.TagSize, plaintext, associatedData, ciphertextAndTag);
    }

    public void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        SymmetricInputChecks.AeadDecrypt(Algorithm, key, nonce, ciphertextAndTag.Length, plaintext.Length);
        if (!Open(CreateCipher(), key, nonce, Algorithm.TagSize, ciphertextAndTag, associatedData, plaintext))
            throw new DecryptionFailedException($"{Algorithm.Name} authentication failed.");
    }

    protected abstract IAeadCipher CreateCipher();

    /// <summary>Encrypts into ciphertext ‖ tag.</summary>
    protected void Seal(IAeadCipher cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, int tagSize, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextAndTag)
    {
        try
        {
            cipher.Init(true, Parameters(key, nonce, tagSize, associatedData));
            var written = cipher.ProcessBytes(plaintext, ciphertextAndTag);
            written += cipher.DoFinal(ciphertextAndTag[written..]);
            if (written != ciphertextAndTag.Length)
                throw new MalformedInputException($"{Algorithm.Name} (BouncyCastle) produced an unexpected length.");
        }
        catch (Exception e) when (e is ArgumentException or CryptoException or InvalidOperationException)
        {
            CryptographicOperations.ZeroMemory(ciphertextAndTag);
            throw new MalformedInputException($"{Algorithm.Name} (BouncyCastle) rejected the inputs.", e);
        }
    }

    /// <summary>Decrypts ciphertext ‖ tag; false (with a zeroed output) when the tag does not verify.</summary>
    protected bool Open(IAeadCipher cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, int tagSize, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        // BouncyCastle's output bound during decryption may exceed the final plaintext length, so decrypt
        // into a scratch buffer that is zeroed afterwards.
        var scratch = GC.AllocateUninitializedArray<byte>(ciphertextAndTag.Length, pinned: true);
        try
        {
            cipher.Init(false, Parameters(key, nonce, tagSize, associatedData));
            var written = cipher.ProcessBytes(ciphertextAndTag, scratch);
            written += cipher.DoFinal(scratch.AsSpan(written));
            if (written != plaintext.Length)
                throw new MalformedInputException($"{Algorithm.Name} (BouncyCastle) produced an unexpected length.");
            scratch.AsSpan(0, written).CopyTo(plaintext);
            return true;
        }
        catch (InvalidCipherTextException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
        catch (Exception e) when (e is ArgumentException or CryptoException or InvalidOperationException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new MalformedInputException($"{Algorithm.Name} (BouncyCastle) rejected the inputs.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scratch);
        }
    }

    private static AeadParameters Parameters(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, int tagSize, ReadOnlySpan<byte> associatedData) =>
        new(new KeyParameter(key), tagSize * 8, nonce.ToArray(), associatedData.ToArray());
}
