using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers.Bcl;
using Enigm.Crypto.Providers.BouncyCastle;
using Enigm.Crypto.Providers.Sodium;

namespace Enigm.Crypto.Providers;

internal static partial class ProviderCatalog
{
    private static IEnumerable<ProviderCandidate> SignatureCandidates() =>
    [
        new(SignatureAlgorithm.Ed25519, ProviderNames.Libsodium, 10, () => true, _ => new SodiumEd25519()),
        new(SignatureAlgorithm.Ed25519, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleEd25519()),

        // ECDsa is available wherever the BCL runs (OpenSSL on Linux, CNG on Windows).
        new(SignatureAlgorithm.EcdsaP384, ProviderNames.Bcl, 0, () => true, _ => new BclEcdsaP384()),
        new(SignatureAlgorithm.EcdsaP384, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleEcdsaP384()),

        // MLDsa needs OpenSSL 3.5+ or Windows CNG; false on Debian 12 (OpenSSL 3.0).
        new(SignatureAlgorithm.MlDsa65, ProviderNames.Bcl, 0, () => BclMlDsa.IsSupported, _ => new BclMlDsa(SignatureAlgorithm.MlDsa65)),
        new(SignatureAlgorithm.MlDsa87, ProviderNames.Bcl, 0, () => BclMlDsa.IsSupported, _ => new BclMlDsa(SignatureAlgorithm.MlDsa87)),
        new(SignatureAlgorithm.MlDsa65, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleMlDsa(SignatureAlgorithm.MlDsa65)),
        new(SignatureAlgorithm.MlDsa87, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleMlDsa(SignatureAlgorithm.MlDsa87)),
    ];
}
