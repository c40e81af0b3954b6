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
        new(KemAlgorithm.XWing, ProviderNames.Composed, 30, () => true, providers => new XWingComposed(providers)),
    ];
}
