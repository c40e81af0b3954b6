using System.Security.Cryptography;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Hybrid;
using Enigm.Crypto.Providers.Bcl;
using Enigm.Crypto.Providers.BouncyCastle;
using Enigm.Crypto.Providers.Sodium;

namespace Enigm.Crypto.Providers;

internal static partial class ProviderCatalog
{
    private static IEnumerable<ProviderCandidate> KemCandidates() =>
    [
        new(KemAlgorithm.MlKem768, ProviderNames.Bcl, 0, () => MLKem.IsSupported, _ => new BclMlKem(KemAlgorithm.MlKem768)),
        new(KemAlgorithm.MlKem1024, ProviderNames.Bcl, 0, () => MLKem.IsSupported, _ => new BclMlKem(KemAlgorithm.MlKem1024)),
        new(KemAlgorithm.MlKem768, ProviderNames.Libsodium, 10, () => SodiumLibrary.IsAvailable, _ => new SodiumMlKem768()),
        new(KemAlgorithm.XWing, ProviderNames.Libsodium, 10, () => SodiumLibrary.IsAvailable, _ => new SodiumXWing()),
        new(KemAlgorithm.MlKem768, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleMlKem(KemAlgorithm.MlKem768)),
        new(KemAlgorithm.MlKem1024, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleMlKem(KemAlgorithm.MlKem1024)),
        // Always possible: the managed BouncyCastle ML-KEM-768 and X25519 are always registered.
        // Ranked before libsodium's X-Wing by measurement (docs/benchmarks.md, "Provider selection by measurement"):
        // composed over libsodium's ML-KEM-768 and X25519 it caches the expanded decapsulation key (draft 5.5.1),
        // which libsodium re-derives on every call: decapsulation 102 µs against 198 µs, while key generation
        // (81 against 76 µs) and encapsulation (120 against 115 µs) cost about the same. Sealed sender does one
        // encapsulation and one decapsulation per recipient device and message, so the sum decides.
        new(KemAlgorithm.XWing, ProviderNames.Composed, 5, () => true, providers => new XWingComposed(providers)),
    ];
}
