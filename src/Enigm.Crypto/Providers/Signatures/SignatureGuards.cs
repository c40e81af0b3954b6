using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Providers.Signatures;

/// <summary>Argument checks shared by the signature providers, so every provider fails the same way.</summary>
internal static class SignatureGuards
{
    /// <summary>FIPS 204 Algorithm 2 step 1 (and the composite draft's Sign step 1): |ctx| ≤ 255.</summary>
    public const int MaxContextLength = 255;

    public static void RequireKeyFor(PrivateKey privateKey, SignatureAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Algorithm != algorithm)
            throw new InvalidKeyException($"A {privateKey.Algorithm.Name} key cannot sign with {algorithm.Name}.");
    }

    /// <summary>Signing with a context longer than 255 bytes is a caller error.</summary>
    public static void RequireContextLength(ReadOnlySpan<byte> context, SignatureAlgorithm algorithm)
    {
        if (context.Length > MaxContextLength)
            throw new MalformedInputException($"{algorithm.Name} context is {context.Length} bytes; at most {MaxContextLength} are allowed.");
    }

    /// <summary>Ed25519 and ECDSA have no context string; a non-empty one is refused rather than ignored.</summary>
    public static void RequireNoContext(ReadOnlySpan<byte> context, SignatureAlgorithm algorithm)
    {
        if (!context.IsEmpty)
            throw new MalformedInputException($"{algorithm.Name} does not take a context string.");
    }

    public static void RequirePublicKeyLength(ReadOnlySpan<byte> publicKey, SignatureAlgorithm algorithm)
    {
        if (publicKey.Length != algorithm.PublicKeySize)
            throw new InvalidKeyException($"{algorithm.Name} public key is {publicKey.Length} bytes; expected {algorithm.PublicKeySize}.");
    }

    public static void RequirePrivateKeyLength(ReadOnlySpan<byte> privateKey, int expected, SignatureAlgorithm algorithm, PrivateKeyFormat format)
    {
        if (privateKey.Length != expected)
            throw new InvalidKeyException($"{algorithm.Name} {format} private key is {privateKey.Length} bytes; expected {expected}.");
    }
}
