using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Errors;

namespace Enigm.Keys.Protection;

/// <summary>
/// Wraps private key material with AES-256-GCM (NIST SP 800-38D) under a store's key-encryption key.
/// Every wrap uses a fresh random 96-bit nonce (SP 800-38D 8.2.2, RBG-based construction; a KEK wraps
/// far fewer than 2^32 keys). The associated data is the deterministic CBOR encoding of a domain label
/// and the whole <see cref="WrapContext"/>, so a wrapped row moved to another key id, purpose, version,
/// algorithm, suite or store no longer authenticates.
/// </summary>
public static class KeyWrapping
{
    /// <summary>Domain label that starts the associated data; a new wrapping format gets a new label.</summary>
    public const string DomainLabel = "enigm-keys/wrap/v1";

    /// <summary>Largest private material accepted (ML-DSA-87 expanded keys are under 5 KiB).</summary>
    public const int MaxPrivateMaterialSize = 64 * 1024;

    private static readonly AeadAlgorithm Algorithm = AeadAlgorithm.Aes256Gcm;

    /// <summary>Encrypts <paramref name="privateMaterial"/> under <paramref name="kek"/>, bound to <paramref name="context"/>.</summary>
    public static WrappedKey Wrap(SecretBytes kek, ReadOnlySpan<byte> privateMaterial, WrapContext context)
    {
        ArgumentNullException.ThrowIfNull(kek);
        ArgumentNullException.ThrowIfNull(context);
        CheckKek(kek);
        if (privateMaterial.IsEmpty || privateMaterial.Length > MaxPrivateMaterialSize)
            throw new ArgumentOutOfRangeException(nameof(privateMaterial), $"Private material must be 1..{MaxPrivateMaterialSize} bytes.");

        var nonce = RandomNumberGenerator.GetBytes(Algorithm.NonceSize);
        var ciphertext = new byte[privateMaterial.Length + Algorithm.TagSize];
        CryptoProviders.Default.Aead(Algorithm).Encrypt(kek.Span, nonce, privateMaterial, AssociatedData(context), ciphertext);
        return new WrappedKey(nonce, ciphertext);
    }

    /// <summary>
    /// Decrypts a wrapped key. Any failure — wrong KEK, edited nonce or ciphertext, a row bound to another
    /// context, impossible lengths — is reported as <see cref="KeyIntegrityException"/> naming the key.
    /// </summary>
    public static SecretBytes Unwrap(SecretBytes kek, WrappedKey wrapped, WrapContext context)
    {
        ArgumentNullException.ThrowIfNull(kek);
        ArgumentNullException.ThrowIfNull(wrapped);
        ArgumentNullException.ThrowIfNull(context);
        CheckKek(kek);
        if (wrapped.Nonce is null || wrapped.Nonce.Length != Algorithm.NonceSize)
            throw new KeyIntegrityException(context.KeyId, $"nonce must be {Algorithm.NonceSize} bytes");
        if (wrapped.Ciphertext is null
            || wrapped.Ciphertext.Length <= Algorithm.TagSize
            || wrapped.Ciphertext.Length > MaxPrivateMaterialSize + Algorithm.TagSize)
            throw new KeyIntegrityException(context.KeyId, "wrapped material has an impossible length");

        var plaintext = GC.AllocateArray<byte>(wrapped.Ciphertext.Length - Algorithm.TagSize, pinned: true);
        try
        {
            CryptoProviders.Default.Aead(Algorithm)
                .Decrypt(kek.Span, wrapped.Nonce, wrapped.Ciphertext, AssociatedData(context), plaintext);
            return SecretBytes.CopyFrom(plaintext);
        }
        catch (DecryptionFailedException)
        {
            throw new KeyIntegrityException(context.KeyId, "authentication failed (wrong key-encryption key, or the row was edited, swapped or replayed)");
        }
        catch (MalformedInputException)
        {
            throw new KeyIntegrityException(context.KeyId, "wrapped material is malformed");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// The associated data: CBOR <c>[label, storeId, keyId, purpose, version, algorithm, suiteId]</c> in
    /// RFC 8949 4.2 deterministic encoding, so equal contexts always give equal bytes.
    /// </summary>
    internal static byte[] AssociatedData(WrapContext context)
    {
        ArgumentNullException.ThrowIfNull(context.StoreId);
        ArgumentNullException.ThrowIfNull(context.KeyId);
        ArgumentNullException.ThrowIfNull(context.Purpose);
        ArgumentNullException.ThrowIfNull(context.Algorithm);

        var writer = CanonicalCbor.CreateWriter();
        writer.WriteStartArray(7);
        writer.WriteTextString(DomainLabel);
        writer.WriteTextString(context.StoreId);
        writer.WriteTextString(context.KeyId);
        writer.WriteTextString(context.Purpose);
        writer.WriteInt32(context.Version);
        writer.WriteTextString(context.Algorithm);
        writer.WriteUInt32(context.SuiteId);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static void CheckKek(SecretBytes kek)
    {
        if (kek.Length != Algorithm.KeySize)
            throw new ArgumentException($"A key-encryption key is {Algorithm.KeySize} bytes.", nameof(kek));
    }
}
