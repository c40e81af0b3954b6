using System.Runtime.InteropServices;

namespace Enigm.Crypto.Providers.Sodium;

/// <summary>
/// HMAC-SHA-256 and HKDF-SHA-256/512 entry points of libsodium 1.0.22 (include/sodium/crypto_auth_hmacsha256.h,
/// crypto_kdf_hkdf_sha256.h, crypto_kdf_hkdf_sha512.h), called directly for the ratchet's hot path: NSec
/// and the BCL each add a per-call setup that costs more than the two or three compression blocks these
/// short inputs need (docs/benchmarks.md, "HMAC and HKDF on the ratchet's hot path").
/// </summary>
internal static partial class SodiumLibrary
{
    /// <summary>size_t crypto_auth_hmacsha256_statebytes(void): sizeof(crypto_auth_hmacsha256_state).</summary>
    [LibraryImport(Library)]
    internal static partial nuint crypto_auth_hmacsha256_statebytes();

    /// <summary>int crypto_auth_hmacsha256_init(state, const key, keylen): any key length (RFC 2104 §2).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_auth_hmacsha256_init(Span<byte> state, ReadOnlySpan<byte> key, nuint keyLength);

    /// <summary>int crypto_auth_hmacsha256_update(state, const in, inlen).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_auth_hmacsha256_update(Span<byte> state, ReadOnlySpan<byte> input, ulong inputLength);

    /// <summary>int crypto_auth_hmacsha256_final(state, out[32]).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_auth_hmacsha256_final(Span<byte> state, Span<byte> output);

    /// <summary>int crypto_kdf_hkdf_sha256_extract(prk[32], const salt, salt_len, const ikm, ikm_len).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha256_extract(Span<byte> prk, ReadOnlySpan<byte> salt, nuint saltLength, ReadOnlySpan<byte> ikm, nuint ikmLength);

    /// <summary>int crypto_kdf_hkdf_sha256_expand(out, out_len ≤ 255·32, const ctx, ctx_len, const prk[32]).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha256_expand(Span<byte> output, nuint outputLength, ReadOnlySpan<byte> context, nuint contextLength, ReadOnlySpan<byte> prk);

    /// <summary>int crypto_kdf_hkdf_sha512_extract(prk[64], const salt, salt_len, const ikm, ikm_len).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha512_extract(Span<byte> prk, ReadOnlySpan<byte> salt, nuint saltLength, ReadOnlySpan<byte> ikm, nuint ikmLength);

    /// <summary>int crypto_kdf_hkdf_sha512_expand(out, out_len ≤ 255·64, const ctx, ctx_len, const prk[64]).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_kdf_hkdf_sha512_expand(Span<byte> output, nuint outputLength, ReadOnlySpan<byte> context, nuint contextLength, ReadOnlySpan<byte> prk);
}
