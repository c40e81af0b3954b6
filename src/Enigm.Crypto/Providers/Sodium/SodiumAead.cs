using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using AeadAlgorithm = Enigm.Crypto.Algorithms.AeadAlgorithm;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// An AEAD from libsodium through NSec. The key is imported into NSec's guarded memory for the duration
/// of one call and then disposed (zeroed); NSec never exports it.
/// </summary>
internal abstract class SodiumAead(AeadAlgorithm algorithm, NSec.Cryptography.AeadAlgorithm nsecAlgorithm) : IAead
{
    public AeadAlgorithm Algorithm { get; } = algorithm;

    public string Provider => ProviderNames.Libsodium;

    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> ciphertextAndTag)
    {
        SymmetricInputChecks.AeadEncrypt(Algorithm, key, nonce, plaintext.Length, ciphertextAndTag.Length);
        using var nsecKey = ImportKey(key);
        try
        {
            nsecAlgorithm.Encrypt(nsecKey, nonce, associatedData, plaintext, ciphertextAndTag);
        }
        catch (ArgumentException e)
        {
            throw new MalformedInputException($"{Algorithm.Name} (libsodium) rejected the buffer sizes.", e);
        }
    }

    public void Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        SymmetricInputChecks.AeadDecrypt(Algorithm, key, nonce, ciphertextAndTag.Length, plaintext.Length);
        using var nsecKey = ImportKey(key);
        bool authentic;
        try
        {
            authentic = nsecAlgorithm.Decrypt(nsecKey, nonce, associatedData, ciphertextAndTag, plaintext);
        }
        catch (ArgumentException e)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new MalformedInputException($"{Algorithm.Name} (libsodium) rejected the buffer sizes.", e);
        }

        if (!authentic)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new DecryptionFailedException($"{Algorithm.Name} authentication failed.");
        }
    }

    private NSec.Cryptography.Key ImportKey(ReadOnlySpan<byte> key)
    {
        try
        {
            return NSec.Cryptography.Key.Import(nsecAlgorithm, key, NSec.Cryptography.KeyBlobFormat.RawSymmetricKey);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new MalformedInputException($"{Algorithm.Name} (libsodium) rejected the key.", e);
        }
    }
}
