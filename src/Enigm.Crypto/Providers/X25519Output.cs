using Enigm.Crypto.Errors;
using Enigm.Crypto.Secrets;

namespace Enigm.Crypto.Providers;

/// <summary>RFC 7748 6.1: a party MAY check for the all-zero output; every Enigm X25519 provider does.</summary>
internal static class X25519Output
{
    /// <summary>Returns <paramref name="secret"/>, or disposes it and throws when it is all zero (checked in constant time).</summary>
    public static SecretBytes RejectAllZero(SecretBytes secret)
    {
        var accumulator = 0;
        foreach (var b in secret.Span) accumulator |= b;
        if (accumulator != 0) return secret;
        secret.Dispose();
        throw new InvalidKeyException("X25519 public key is a low-order point (all-zero shared secret).");
    }
}
