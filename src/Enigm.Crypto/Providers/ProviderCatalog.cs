namespace Enigm.Crypto.Providers;

/// <summary>
/// Every provider candidate compiled into this build. Each family lists its own candidates in its
/// own file (ProviderCatalog.*.cs) so that adding a provider touches one place.
/// </summary>
internal static partial class ProviderCatalog
{
    public static IReadOnlyList<ProviderCandidate> All { get; } =
    [
        .. KemCandidates(),
        .. KeyAgreementCandidates(),
        .. SignatureCandidates(),
        .. CompositeCandidates(),
        .. SymmetricCandidates(),
    ];
}
