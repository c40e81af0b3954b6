using System.Collections.Concurrent;
using System.Collections.Immutable;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Primitives;

namespace Enigm.Crypto.Providers;

/// <summary>
/// Chooses, per algorithm, the best-ranked provider this platform supports. The choice can be
/// overridden per algorithm (tests pin each provider in turn; <c>enigm selftest</c> reports it).
/// Instances are immutable; primitives are created lazily and cached.
/// </summary>
public sealed class CryptoProviders
{
    private readonly ImmutableArray<ProviderCandidate> _candidates;
    private readonly ImmutableDictionary<CryptoAlgorithm, string> _overrides;
    private readonly ConcurrentDictionary<CryptoAlgorithm, object> _cache = new();

    private CryptoProviders(ImmutableArray<ProviderCandidate> candidates, ImmutableDictionary<CryptoAlgorithm, string> overrides)
    {
        _candidates = candidates;
        _overrides = overrides;
    }

    /// <summary>Automatic selection over every provider compiled into this build.</summary>
    public static CryptoProviders Default { get; } =
        new([.. ProviderCatalog.All.OrderBy(c => c.Rank)], ImmutableDictionary<CryptoAlgorithm, string>.Empty);

    /// <summary>A copy that uses <paramref name="provider"/> for <paramref name="algorithm"/>.</summary>
    public CryptoProviders WithProvider(CryptoAlgorithm algorithm, string provider)
    {
        if (!Available(algorithm).Any(c => c.Provider == provider))
            throw new AlgorithmUnavailableException($"Provider '{provider}' does not implement {algorithm.Name} on this platform.");
        return new CryptoProviders(_candidates, _overrides.SetItem(algorithm, provider));
    }

    /// <summary>Every supported candidate for the algorithm, best first.</summary>
    public IReadOnlyList<ProviderCandidate> Available(CryptoAlgorithm algorithm) =>
        [.. _candidates.Where(c => c.Algorithm == algorithm && c.IsSupported())];

    /// <summary>Every candidate compiled in, supported on this platform or not.</summary>
    public IReadOnlyList<ProviderCandidate> Registered(CryptoAlgorithm algorithm) =>
        [.. _candidates.Where(c => c.Algorithm == algorithm)];

    public string SelectedProvider(CryptoAlgorithm algorithm) => Select(algorithm).Provider;

    public IKem Kem(KemAlgorithm algorithm) => Get<IKem>(algorithm);

    public IKeyAgreement KeyAgreement(KeyAgreementAlgorithm algorithm) => Get<IKeyAgreement>(algorithm);

    public ISignatureScheme Signature(SignatureAlgorithm algorithm) => Get<ISignatureScheme>(algorithm);

    public IAead Aead(AeadAlgorithm algorithm) => Get<IAead>(algorithm);

    public IKdf Kdf(KdfAlgorithm algorithm) => Get<IKdf>(algorithm);

    public IHash Hash(HashAlgorithm algorithm) => Get<IHash>(algorithm);

    public IMac Mac(MacAlgorithm algorithm) => Get<IMac>(algorithm);

    public IKeyWrap KeyWrap(KeyWrapAlgorithm algorithm) => Get<IKeyWrap>(algorithm);

    /// <summary>A fresh primitive from a named provider, bypassing selection (cross-provider tests).</summary>
    public T Create<T>(CryptoAlgorithm algorithm, string provider)
        where T : class
    {
        var candidate = Available(algorithm).FirstOrDefault(c => c.Provider == provider)
            ?? throw new AlgorithmUnavailableException($"Provider '{provider}' does not implement {algorithm.Name} on this platform.");
        return (T)candidate.Create(this);
    }

    private T Get<T>(CryptoAlgorithm algorithm)
        where T : class =>
        (T)_cache.GetOrAdd(algorithm, a => Select(a).Create(this));

    private ProviderCandidate Select(CryptoAlgorithm algorithm)
    {
        var available = Available(algorithm);
        if (_overrides.TryGetValue(algorithm, out var forced))
            return available.First(c => c.Provider == forced);
        return available.Count > 0
            ? available[0]
            : throw new AlgorithmUnavailableException($"No provider implements {algorithm.Name} on this platform.");
    }
}
