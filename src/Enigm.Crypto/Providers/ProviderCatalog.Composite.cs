using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Hybrid;

namespace Enigm.Crypto.Providers;

internal static partial class ProviderCatalog
{
    private static IEnumerable<ProviderCandidate> CompositeCandidates() =>
        CompositeSignatureParameters.All.Select(parameters => new ProviderCandidate(
            parameters.Algorithm,
            ProviderNames.Composed,
            30,
            () => HasProvider(parameters.MlDsa) && HasProvider(parameters.Traditional.Algorithm),
            providers => new CompositeSignature(parameters, providers)));

    /// <summary>A composite is available when both of its components are.</summary>
    private static bool HasProvider(CryptoAlgorithm component) =>
        All.Any(candidate => candidate.Algorithm == component && candidate.IsSupported());
}
