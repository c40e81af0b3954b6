using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers.BouncyCastle;
using Enigm.Crypto.Providers.Sodium;

namespace Enigm.Crypto.Providers;

internal static partial class ProviderCatalog
{
    // The BCL has no X25519 (ECDiffieHellman covers the NIST curves only), so libsodium leads.
    private static IEnumerable<ProviderCandidate> KeyAgreementCandidates() =>
    [
        new(KeyAgreementAlgorithm.X25519, ProviderNames.Libsodium, 10, () => SodiumLibrary.IsAvailable, _ => new SodiumX25519()),
        new(KeyAgreementAlgorithm.X25519, ProviderNames.BouncyCastle, 20, () => true, _ => new BouncyCastleX25519()),
    ];
}
