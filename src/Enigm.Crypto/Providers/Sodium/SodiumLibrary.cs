using System.Runtime.InteropServices;
using Enigm.Crypto.Algorithms;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// P/Invoke into libsodium 1.0.22 (the native library of the <c>libsodium</c> NuGet package that
/// NSec.Cryptography brings in) for the functions NSec does not wrap (ML-KEM-768, X-Wing) and for X25519,
/// where NSec's guarded key memory costs more than the scalar multiplication (see SodiumX25519).
/// Signatures follow include/sodium/crypto_kem_mlkem768.h and crypto_kem_xwing.h of 1.0.22; sizes are
/// checked once against the library's own *bytes() functions, and a mismatch disables the provider.
/// </summary>
internal static partial class SodiumLibrary
{
    private const string Library = "libsodium";

    private static readonly Lazy<string?> Failure = new(Initialise);

    /// <summary>True when libsodium loaded, initialised and reports the sizes Enigm was written for.</summary>
    public static bool IsAvailable => Failure.Value is null;

    /// <summary>Why the provider is unavailable, or null.</summary>
    public static string? UnavailableReason => Failure.Value;

    public static void EnsureAvailable()
    {
        if (Failure.Value is { } reason)
            throw new Errors.AlgorithmUnavailableException($"libsodium is unavailable: {reason}");
    }

    private static string? Initialise()
    {
        try
        {
            // sodium_init returns 0 on first success, 1 when already initialised (NSec does it too), -1 on failure.
            if (sodium_init() < 0) return "sodium_init failed";

            var mlkem = KemAlgorithm.MlKem768;
            var xwing = KemAlgorithm.XWing;
            (string Name, nuint Actual, int Expected)[] sizes =
            [
                ("crypto_kem_mlkem768_publickeybytes", crypto_kem_mlkem768_publickeybytes(), mlkem.PublicKeySize),
                ("crypto_kem_mlkem768_secretkeybytes", crypto_kem_mlkem768_secretkeybytes(), mlkem.ExpandedPrivateKeySize),
                ("crypto_kem_mlkem768_ciphertextbytes", crypto_kem_mlkem768_ciphertextbytes(), mlkem.CiphertextSize),
                ("crypto_kem_mlkem768_sharedsecretbytes", crypto_kem_mlkem768_sharedsecretbytes(), mlkem.SharedSecretSize),
                ("crypto_kem_mlkem768_seedbytes", crypto_kem_mlkem768_seedbytes(), mlkem.SeedSize),
                ("crypto_kem_xwing_publickeybytes", crypto_kem_xwing_publickeybytes(), xwing.PublicKeySize),
                ("crypto_kem_xwing_secretkeybytes", crypto_kem_xwing_secretkeybytes(), xwing.ExpandedPrivateKeySize),
                ("crypto_kem_xwing_ciphertextbytes", crypto_kem_xwing_ciphertextbytes(), xwing.CiphertextSize),
                ("crypto_kem_xwing_sharedsecretbytes", crypto_kem_xwing_sharedsecretbytes(), xwing.SharedSecretSize),
                ("crypto_kem_xwing_seedbytes", crypto_kem_xwing_seedbytes(), xwing.SeedSize),
            ];
            foreach (var (name, actual, expected) in sizes)
                if (actual != (nuint)expected)
                    return $"{name}() is {actual}, expected {expected}";
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return e.Message;
        }
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_mlkem768_publickeybytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_mlkem768_secretkeybytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_mlkem768_ciphertextbytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_mlkem768_sharedsecretbytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_mlkem768_seedbytes();

    /// <summary>int crypto_kem_mlkem768_seed_keypair(pk[1184], sk[2400], const seed[64]); seed = d ‖ z.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_seed_keypair(Span<byte> pk, Span<byte> sk, ReadOnlySpan<byte> seed);

    /// <summary>int crypto_kem_mlkem768_enc(ct[1088], ss[32], const pk[1184]); -1 when pk fails the modulus check.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_enc(Span<byte> ct, Span<byte> ss, ReadOnlySpan<byte> pk);

    /// <summary>int crypto_kem_mlkem768_enc_deterministic(ct[1088], ss[32], const pk[1184], const seed[32]); seed = m.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_enc_deterministic(Span<byte> ct, Span<byte> ss, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> seed);

    /// <summary>int crypto_kem_mlkem768_dec(ss[32], const ct[1088], const sk[2400]); sk is the FIPS 203 dk.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_mlkem768_dec(Span<byte> ss, ReadOnlySpan<byte> ct, ReadOnlySpan<byte> sk);

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_xwing_publickeybytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_xwing_secretkeybytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_xwing_ciphertextbytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_xwing_sharedsecretbytes();

    [LibraryImport(Library)]
    private static partial nuint crypto_kem_xwing_seedbytes();

    /// <summary>int crypto_kem_xwing_seed_keypair(pk[1216], sk[32], const seed[32]); sk is a copy of the seed.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_xwing_seed_keypair(Span<byte> pk, Span<byte> sk, ReadOnlySpan<byte> seed);

    /// <summary>int crypto_kem_xwing_enc(ct[1120], ss[32], const pk[1216]).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_xwing_enc(Span<byte> ct, Span<byte> ss, ReadOnlySpan<byte> pk);

    /// <summary>int crypto_kem_xwing_enc_deterministic(ct[1120], ss[32], const pk[1216], const seed[64]); seed = eseed.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_xwing_enc_deterministic(Span<byte> ct, Span<byte> ss, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> seed);

    /// <summary>int crypto_kem_xwing_dec(ss[32], const ct[1120], const sk[32]).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kem_xwing_dec(Span<byte> ss, ReadOnlySpan<byte> ct, ReadOnlySpan<byte> sk);

    /// <summary>int crypto_aead_aes256gcm_is_available(void): 1 when the CPU has AES-NI and PCLMUL.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_aead_aes256gcm_is_available();

    /// <summary>int crypto_aead_aes256gcm_encrypt_detached(c, mac[16], maclen_p, m, mlen, ad, adlen, nsec (NULL), npub[12], k[32]).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_aead_aes256gcm_encrypt_detached(Span<byte> c, Span<byte> mac, out ulong macLength, ReadOnlySpan<byte> m, ulong mLength, ReadOnlySpan<byte> ad, ulong adLength, nint nsec, ReadOnlySpan<byte> npub, ReadOnlySpan<byte> k);

    /// <summary>int crypto_aead_aes256gcm_decrypt_detached(m, nsec (NULL), c, clen, mac[16], ad, adlen, npub[12], k[32]); -1 when the tag fails.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_aead_aes256gcm_decrypt_detached(Span<byte> m, nint nsec, ReadOnlySpan<byte> c, ulong cLength, ReadOnlySpan<byte> mac, ReadOnlySpan<byte> ad, ulong adLength, ReadOnlySpan<byte> npub, ReadOnlySpan<byte> k);

    /// <summary>int crypto_scalarmult_curve25519_base(q[32], const n[32]): q = X25519(n, 9), n clamped inside.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519_base(Span<byte> q, ReadOnlySpan<byte> n);

    /// <summary>
    /// int crypto_scalarmult_curve25519(q[32], const n[32], const p[32]): q = X25519(n, p); -1 when p is a
    /// low-order point or q is all zero (include/sodium/crypto_scalarmult_curve25519.h, scalarmult docs).
    /// </summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519(Span<byte> q, ReadOnlySpan<byte> n, ReadOnlySpan<byte> p);
}
