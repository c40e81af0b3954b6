using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Primitives;

/// <summary>
/// A signature scheme from one provider. <see cref="Verify"/> returns false for any signature that does
/// not verify (wrong length included) and throws <see cref="InvalidKeyException"/> only for a public key
/// that cannot be decoded; it never throws anything else. The context string (FIPS 204/205, composite
/// draft) is empty by default; schemes without contexts (Ed25519, ECDSA) reject a non-empty one.
/// </summary>
public interface ISignatureScheme
{
    SignatureAlgorithm Algorithm { get; }

    string Provider { get; }

    PrivateKey GenerateKey();

    /// <summary>Imports a private key in the given format and derives its public key.</summary>
    PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey, PrivateKeyFormat format = PrivateKeyFormat.Seed);

    void ValidatePublicKey(ReadOnlySpan<byte> publicKey);

    byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context = default);

    bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default);
}

public static class SignatureSchemeExtensions
{
    /// <summary>Verifies or throws <see cref="SignatureInvalidException"/>.</summary>
    public static void VerifyOrThrow(this ISignatureScheme scheme, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> context = default)
    {
        if (!scheme.Verify(publicKey, message, signature, context))
            throw new SignatureInvalidException($"{scheme.Algorithm.Name} signature does not verify.");
    }
}
