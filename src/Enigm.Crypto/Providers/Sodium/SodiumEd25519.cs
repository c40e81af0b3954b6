using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers.Signatures;
using Enigm.Crypto.Secrets;
using NSec.Cryptography;
using EnigmSignatureAlgorithm = Enigm.Crypto.Algorithms.SignatureAlgorithm;
using NSecPublicKey = NSec.Cryptography.PublicKey;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// RFC 8032 Ed25519 through NSec (libsodium crypto_sign_ed25519). The private key is the 32-byte seed;
/// the NSec key object made from it is cached with the <see cref="PrivateKey"/> and disposed with it.
/// </summary>
internal sealed class SodiumEd25519 : ISignatureScheme
{
    private const int SeedSize = 32;
    private static readonly Ed25519 Scheme = SignatureAlgorithm.Ed25519;

    public EnigmSignatureAlgorithm Algorithm => EnigmSignatureAlgorithm.Ed25519;

    public string Provider => ProviderNames.Libsodium;

    public PrivateKey GenerateKey()
    {
        var seed = new byte[SeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return ImportPrivateKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed)
    {
        // RFC 8032 §5.1.5: the private key is the 32-byte seed; there is no other standard form.
        SignatureGuards.RequirePrivateKeyLength(privateKey, SeedSize, Algorithm, format);
        using var key = ImportNSecKey(privateKey);
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), PrivateKeyFormat.Seed, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public void ValidatePublicKey(ReadOnlySpan<byte> publicKey) => ImportPublicKey(publicKey);

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default)
    {
        SignatureGuards.RequireKeyFor(privateKey, Algorithm);
        SignatureGuards.RequireNoContext(context, Algorithm);
        var key = privateKey.GetOrCreateProviderState(k => ImportNSecKey(k.Material));
        return Scheme.Sign(key, message);
    }

    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        var key = ImportPublicKey(publicKey);
        if (!context.IsEmpty || signature.Length != Algorithm.MaxSignatureSize) return false;
        return Scheme.Verify(key, message, signature);
    }

    private static Key ImportNSecKey(ReadOnlySpan<byte> seed)
    {
        try
        {
            return Key.Import(Scheme, seed, KeyBlobFormat.RawPrivateKey);
        }
        catch (FormatException e)
        {
            throw new InvalidKeyException("Ed25519 private key cannot be imported.", e);
        }
    }

    private NSecPublicKey ImportPublicKey(ReadOnlySpan<byte> publicKey)
    {
        SignatureGuards.RequirePublicKeyLength(publicKey, Algorithm);
        return NSecPublicKey.TryImport(Scheme, publicKey, KeyBlobFormat.RawPublicKey, out var key) && key is not null
            ? key
            : throw new InvalidKeyException("Ed25519 public key cannot be imported.");
    }
}
