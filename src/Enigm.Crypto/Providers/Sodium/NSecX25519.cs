using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using NSec.Cryptography;
using EnigmKeyAgreement = Enigm.Crypto.Algorithms.KeyAgreementAlgorithm;
using NSecKeyAgreement = NSec.Cryptography.KeyAgreementAlgorithm;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// RFC 7748 X25519 through NSec (libsodium's crypto_scalarmult). The private key is the raw 32-byte
/// scalar; the NSec key made from it is cached per key and disposed with it.
/// </summary>
internal sealed class NSecX25519 : IKeyAgreement
{
    public EnigmKeyAgreement Algorithm => EnigmKeyAgreement.X25519;

    public string Provider => ProviderNames.Libsodium;

    public PrivateKey GenerateKey()
    {
        Span<byte> scalar = stackalloc byte[32];
        RandomNumberGenerator.Fill(scalar);
        try
        {
            return ImportPrivateKey(scalar);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != Algorithm.PrivateKeySize)
            throw new InvalidKeyException($"X25519 private key must be {Algorithm.PrivateKeySize} bytes, not {privateKey.Length}.");
        if (!Key.TryImport(NSecKeyAgreement.X25519, privateKey, KeyBlobFormat.RawPrivateKey, out var nsecKey) || nsecKey is null)
            throw new InvalidKeyException("X25519 private key cannot be imported.");
        var publicKey = nsecKey.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var key = new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), PrivateKeyFormat.Seed, publicKey);
        key.GetOrCreateProviderState(_ => nsecKey);
        return key;
    }

    public SecretBytes Agree(PrivateKey privateKey, ReadOnlySpan<byte> peerPublicKey)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an X25519 private key, got {privateKey.Algorithm.Name}.");
        if (peerPublicKey.Length != Algorithm.PublicKeySize)
            throw new InvalidKeyException($"X25519 public key must be {Algorithm.PublicKeySize} bytes, not {peerPublicKey.Length}.");

        var nsecKey = privateKey.GetOrCreateProviderState(
            key => Key.Import(NSecKeyAgreement.X25519, key.Material, KeyBlobFormat.RawPrivateKey));
        if (!NSec.Cryptography.PublicKey.TryImport(NSecKeyAgreement.X25519, peerPublicKey, KeyBlobFormat.RawPublicKey, out var peer) || peer is null)
            throw new InvalidKeyException("X25519 public key cannot be decoded.");

        // libsodium returns no secret (NSec: null) when the result is all zero, RFC 7748 6.1.
        var exportable = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var shared = NSecKeyAgreement.X25519.Agree(nsecKey, peer, in exportable)
            ?? throw new InvalidKeyException("X25519 public key is a low-order point (all-zero shared secret).");
        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (!shared.TryExport(SharedSecretBlobFormat.RawSharedSecret, secret.WritableSpan, out var written) || written != secret.Length)
        {
            secret.Dispose();
            throw new InvalidKeyException("X25519 shared secret could not be exported.");
        }

        return X25519Output.RejectAllZero(secret);
    }
}
