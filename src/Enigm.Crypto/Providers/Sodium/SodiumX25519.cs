using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using EnigmKeyAgreement = Enigm.Crypto.Algorithms.KeyAgreementAlgorithm;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// RFC 7748 X25519 from libsodium 1.0.22, called directly (crypto_scalarmult_curve25519_base and
/// crypto_scalarmult_curve25519) on the pinned buffers of <see cref="SecretBytes"/>. The private key is the
/// raw 32-byte scalar; libsodium clamps it inside each call (RFC 7748 5).
/// <para>
/// Why not through NSec, as before: every NSec <c>Key</c>, <c>PublicKey</c> and <c>SharedSecret</c> lives in
/// its own sodium_malloc region (guard pages, mprotect, mlock, munmap on dispose), which cost 26 µs per key
/// generation and 24 µs per agreement over the scalar multiplication itself (docs/benchmarks.md,
/// "X25519 provider overhead"). Enigm's own buffers are pinned and zeroed on dispose, which is what those
/// regions were for; the scalar never leaves them.
/// </para>
/// <para>
/// Checks kept: crypto_scalarmult_curve25519 refuses (returns -1 for) the low-order points of RFC 7748 7 and
/// an all-zero result, and <see cref="X25519Output.RejectAllZero"/> checks the result once more (RFC 7748 6.1),
/// as every Enigm X25519 provider does. Canonical-encoding checks on received keys belong to the protocols
/// that hash keys (PQXDH: <c>Enigm.Messaging.Prekeys.X25519PublicKeys</c>); like NSec and RFC 7748 5, this
/// provider ignores the top bit of a peer's u-coordinate.
/// </para>
/// </summary>
internal sealed class SodiumX25519 : IKeyAgreement
{
    private const int Size = 32;

    public SodiumX25519() => SodiumLibrary.EnsureAvailable();

    public EnigmKeyAgreement Algorithm => EnigmKeyAgreement.X25519;

    public string Provider => ProviderNames.Libsodium;

    public PrivateKey GenerateKey()
    {
        var scalar = new SecretBytes(Size);
        RandomNumberGenerator.Fill(scalar.WritableSpan);
        return FromScalar(scalar);
    }

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != Algorithm.PrivateKeySize)
            throw new InvalidKeyException($"X25519 private key must be {Algorithm.PrivateKeySize} bytes, not {privateKey.Length}.");
        return FromScalar(SecretBytes.CopyFrom(privateKey));
    }

    public SecretBytes Agree(PrivateKey privateKey, ReadOnlySpan<byte> peerPublicKey)
    {
        if (privateKey.Algorithm != Algorithm)
            throw new InvalidKeyException($"Expected an X25519 private key, got {privateKey.Algorithm.Name}.");
        if (peerPublicKey.Length != Algorithm.PublicKeySize)
            throw new InvalidKeyException($"X25519 public key must be {Algorithm.PublicKeySize} bytes, not {peerPublicKey.Length}.");

        var secret = new SecretBytes(Algorithm.SharedSecretSize);
        if (SodiumLibrary.crypto_scalarmult_curve25519(secret.WritableSpan, privateKey.Material, peerPublicKey) != 0)
        {
            secret.Dispose();
            throw new InvalidKeyException("X25519 public key is a low-order point (all-zero shared secret).");
        }

        return X25519Output.RejectAllZero(secret);
    }

    /// <summary>Takes ownership of <paramref name="scalar"/>: the public key is X25519(k, 9), RFC 7748 6.1.</summary>
    private PrivateKey FromScalar(SecretBytes scalar)
    {
        var publicKey = new byte[Size];
        if (SodiumLibrary.crypto_scalarmult_curve25519_base(publicKey, scalar.Span) != 0)
        {
            scalar.Dispose();
            throw new InvalidKeyException("X25519 private key cannot be used (libsodium refused the scalar).");
        }

        return new PrivateKey(Algorithm, scalar, PrivateKeyFormat.Seed, publicKey);
    }
}
