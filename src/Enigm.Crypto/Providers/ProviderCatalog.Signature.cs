namespace Enigm.Crypto.Providers;

internal static partial class ProviderCatalog
{
    private static IEnumerable<ProviderCandidate> SignatureCandidates() => [];
}
