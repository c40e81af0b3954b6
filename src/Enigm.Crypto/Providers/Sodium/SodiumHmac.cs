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
}
