using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers.Bcl;
using Enigm.Crypto.Providers.BouncyCastle;
using Enigm.Crypto.Providers.Sodium;

namespace Enigm.Crypto.Providers;

internal static partial class ProviderCatalog
{
    // Ranks: bcl 0, libsodium 10, bouncycastle 20 (see ProviderCandidate).
    // The SLH-DSA candidates live here too: they belong to this work package, and ProviderCatalog.cs, which
    // lists the family methods, is shared; SignatureCandidates() in ProviderCatalog.Signature.cs is another's.
    private static IEnumerable<ProviderCandidate> SymmetricCandidates() =>
    [
        .. AeadCandidates(),
        .. KdfCandidates(),
        .. HashCandidates(),
        .. MacCandidates(),
        .. KeyWrapCandidates(),
        .. SlhDsaCandidates(),
    ];

    private static IEnumerable<ProviderCandidate> AeadCandidates() =>
    [
        // Ranked after libsodium by measurement (docs/benchmarks.md, "Provider selection by measurement"): the BCL
        // sets up an OpenSSL context per key, 3.6 µs for a 1 KiB message where libsodium takes 0.47 µs; at 1 MiB
        // the BCL is 7% faster (291 against 312 µs). Enigm's AEAD calls are per-message keys on small inputs
        // (ratchet, sealed sender, key records); bulk attachment data goes through AesGcm directly.
        new(AeadAlgorithm.Aes256Gcm, ProviderNames.Bcl, 15, () => BclAesGcm.IsSupported, _ => new BclAesGcm()),
        new(AeadAlgorithm.Aes256Gcm, ProviderNames.Libsodium, 10, () => SodiumAesGcm.IsSupported, _ => new SodiumAesGcm()),
        new(AeadAlgorithm.Aes256Gcm, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleAesGcm()),
        new(AeadAlgorithm.ChaCha20Poly1305, ProviderNames.Bcl, 0, () => BclChaCha20Poly1305.IsSupported, _ => new BclChaCha20Poly1305()),
        new(AeadAlgorithm.ChaCha20Poly1305, ProviderNames.Libsodium, 10, () => true, _ => new SodiumChaCha20Poly1305()),
        new(AeadAlgorithm.ChaCha20Poly1305, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleChaCha20Poly1305()),
    ];

    private static IEnumerable<ProviderCandidate> KdfCandidates() =>
        KdfAlgorithm.All.SelectMany(algorithm => new ProviderCandidate[]
        {
            // HKDF-SHA-256 from libsodium first, by measurement (docs/benchmarks.md, "HMAC and HKDF on the ratchet's
            // hot path"): called directly it takes 3.67 µs for the ratchet's 44-byte message key against the BCL's
            // 3.81 µs (thread CPU time, interleaved). HKDF-SHA-512 stays with the BCL (OpenSSL's SHA-512 is faster
            // than libsodium's portable one on long inputs and no hot path uses it).
            new(algorithm, ProviderNames.Bcl, algorithm == KdfAlgorithm.HkdfSha256 ? 12 : 0, () => true, _ => new BclHkdf(algorithm)),
            new(algorithm, ProviderNames.Libsodium, 10, () => true, _ => new SodiumHkdf(algorithm)),
            new(algorithm, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleHkdf(algorithm)),
        });

    private static IEnumerable<ProviderCandidate> HashCandidates() =>
        HashAlgorithm.All.SelectMany(algorithm => new ProviderCandidate[]
        {
            new(algorithm, ProviderNames.Bcl, 0, () => BclHash.IsSupported(algorithm), _ => new BclHash(algorithm)),
            new(algorithm, ProviderNames.Libsodium, 10, () => true, _ => new SodiumHash(algorithm)),
            new(algorithm, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleHash(algorithm)),
        });

    private static IEnumerable<ProviderCandidate> MacCandidates() =>
    [
        // libsodium first by measurement (docs/benchmarks.md, "HMAC and HKDF on the ratchet's hot path"): the
        // ratchet's HMACs are over 1-byte constants and 32-byte keys, where the BCL's per-call OpenSSL context
        // costs more than the four SHA-256 compressions: 1.14 µs against 1.84 µs (BouncyCastle 3.5 µs), thread
        // CPU time, interleaved (HotPathMacBenchmarks); libsodium's own crypto_auth_hmacsha256 takes 1.13 µs.
        // A whole KDF_CK step (IMac.ComputePair, the key's state shared by both tags; third pass, 11:06 UTC):
        // libsodium 1.76 µs, BCL 2.31 µs (one IncrementalHash), two plain libsodium calls 2.24 µs.
        new(MacAlgorithm.HmacSha256, ProviderNames.Libsodium, 10, () => SodiumHmac.IsSupported, _ => new SodiumHmac()),
        new(MacAlgorithm.HmacSha256, ProviderNames.Bcl, 15, () => true, _ => new BclHmac()),
        new(MacAlgorithm.HmacSha256, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleHmac()),
    ];

    private static IEnumerable<ProviderCandidate> KeyWrapCandidates() =>
    [
        // Ranked after BouncyCastle: one Aes.EncryptEcb call per block costs an OpenSSL context setup each,
        // which made it 26-49x slower than BouncyCastle's RFC 5649 engine (docs/benchmarks.md, finding 1).
        new(KeyWrapAlgorithm.AesKwp256, ProviderNames.Bcl, 25, () => true, _ => new BclAesKwp()),
        new(KeyWrapAlgorithm.AesKwp256, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleAesKwp()),
    ];

    private static IEnumerable<ProviderCandidate> SlhDsaCandidates() =>
        new[] { SignatureAlgorithm.SlhDsaSha2_128s, SignatureAlgorithm.SlhDsaSha2_256s }.SelectMany(algorithm => new ProviderCandidate[]
        {
            new(algorithm, ProviderNames.Bcl, 0, () => BclSlhDsa.IsSupported, _ => new BclSlhDsa(algorithm)),
            new(algorithm, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleSlhDsa(algorithm)),
        });
}
