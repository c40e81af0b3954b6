using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// RFC 2104 HMAC-SHA-256 from libsodium (crypto_auth_hmacsha256_init/update/final, which take a key of any
/// length), on a stack state that is zeroed after every call because it holds the key's inner and outer pads.
/// </summary>
internal sealed class SodiumHmac : IMac
{
    // sizeof(crypto_auth_hmacsha256_state) is 208 in 1.0.22; the constructor checks the library agrees.
    private const int StateSize = 208;

    public SodiumHmac()
    {
        SodiumLibrary.EnsureAvailable();
        if (SodiumLibrary.crypto_auth_hmacsha256_statebytes() != StateSize)
            throw new Errors.AlgorithmUnavailableException("libsodium's crypto_auth_hmacsha256_state is not the 208 bytes Enigm was written for.");
    }

    public static bool IsSupported => SodiumLibrary.IsAvailable && SodiumLibrary.crypto_auth_hmacsha256_statebytes() == StateSize;

    public MacAlgorithm Algorithm => MacAlgorithm.HmacSha256;

    public string Provider => ProviderNames.Libsodium;

    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> tag)
    {
        SymmetricInputChecks.MacOutput(Algorithm, tag.Length);
        Span<byte> state = stackalloc byte[StateSize];
        try
        {
            // These return 0 unconditionally in 1.0.22 (crypto_auth/hmacsha256/auth_hmacsha256.c).
            SodiumLibrary.crypto_auth_hmacsha256_init(state, key, (nuint)key.Length);
            SodiumLibrary.crypto_auth_hmacsha256_update(state, data, (ulong)data.Length);
            SodiumLibrary.crypto_auth_hmacsha256_final(state, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(state);
        }
    }

    /// <summary>
    /// The key's state (its inner and outer pads absorbed, two compression blocks) is computed once and
    /// copied for the second tag, so a KDF_CK step costs six blocks instead of eight.
    /// </summary>
    public void ComputePair(ReadOnlySpan<byte> key, ReadOnlySpan<byte> firstData, Span<byte> firstTag, ReadOnlySpan<byte> secondData, Span<byte> secondTag)
    {
        SymmetricInputChecks.MacOutput(Algorithm, firstTag.Length);
        SymmetricInputChecks.MacOutput(Algorithm, secondTag.Length);
        Span<byte> first = stackalloc byte[StateSize];
        Span<byte> second = stackalloc byte[StateSize];
        try
        {
            // Both states hold the key before either tag is written, so a tag may overwrite the key.
            SodiumLibrary.crypto_auth_hmacsha256_init(first, key, (nuint)key.Length);
            first.CopyTo(second);
            SodiumLibrary.crypto_auth_hmacsha256_update(first, firstData, (ulong)firstData.Length);
            SodiumLibrary.crypto_auth_hmacsha256_final(first, firstTag);
            SodiumLibrary.crypto_auth_hmacsha256_update(second, secondData, (ulong)secondData.Length);
            SodiumLibrary.crypto_auth_hmacsha256_final(second, secondTag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(first);
            CryptographicOperations.ZeroMemory(second);
        }
    }
}
