using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Rfc7748 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Enigm.Crypto.Providers.BouncyCastle;

/// <summary>
/// RFC 7748 X25519 from BouncyCastle. It calls the span-based functions under BouncyCastle's
/// X25519Agreement directly (Org.BouncyCastle.Math.EC.Rfc7748.X25519). That way the scalar never goes
/// into a key-parameter object that Enigm could not zero. CalculateAgreement returns false for an
/// all-zero result, as X25519Agreement does.
/// </summary>
internal sealed class BouncyCastleX25519 : IKeyAgreement
{
    public KeyAgreementAlgorithm Algorithm => KeyAgreementAlgorithm.X25519;

    public string Provider => ProviderNames.BouncyCastle;

    public PrivateKey GenerateKey()
    {
        Span<byte> scalar = stackalloc byte[Rfc7748.ScalarSize];
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
        var publicKey = new byte[Rfc7748.PointSize];
        // RFC 7748 6.1: the public key is X25519(k, 9); the scalar is clamped inside.
        Rfc7748.ScalarMultBase(privateKey, publicKey);
        return new PrivateKey(Algorithm, SecretBytes.CopyFrom(privateKey), PrivateKeyFormat.Seed, publicKey);
    }

    public SecretBytes Agree(PrivateKey privateKey, ReadOnlySpan<byte> peerPublicKey)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an X25519 private key, got {privateKey.Algorithm.Name}.");
        if (peerPublicKey.Length != Algorithm.PublicKeySize)
            throw new InvalidKeyException($"X25519 public key must be {Algorithm.PublicKeySize} bytes, not {peerPublicKey.Length}.");

        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (!Rfc7748.CalculateAgreement(privateKey.Material, peerPublicKey, secret.WritableSpan))
        {
            secret.Dispose();
            throw new InvalidKeyException("X25519 public key is a low-order point (all-zero shared secret).");
        }

        return X25519Output.RejectAllZero(secret);
    }
}
