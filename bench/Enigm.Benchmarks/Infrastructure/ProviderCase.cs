using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// One (algorithm, provider) pair: the single parameter of every benchmark class, so that each
/// algorithm's providers appear side by side in one table. Only pairs that
/// <see cref="CryptoProviders.Available"/> reports for this machine are enumerated.
/// </summary>
public sealed class ProviderCase(CryptoAlgorithm algorithm, string provider)
{
    public CryptoAlgorithm Algorithm { get; } = algorithm;

    public string Provider { get; } = provider;

    /// <summary>True when Enigm's automatic selection picks this provider for the algorithm.</summary>
    public bool IsSelected => CryptoProviders.Default.SelectedProvider(Algorithm) == Provider;

    /// <summary>Every provider available here for each algorithm, in the catalog's rank order.</summary>
    public static IEnumerable<ProviderCase> For(params CryptoAlgorithm[] algorithms) =>
        algorithms.SelectMany(a => CryptoProviders.Default.Available(a).Select(c => new ProviderCase(a, c.Provider)));

    public T Create<T>()
        where T : class => CryptoProviders.Default.Create<T>(Algorithm, Provider);

    // BenchmarkDotNet shows and filters by this text; '@' keeps it one token and markdown-safe.
    public override string ToString() => $"{Algorithm.Name}@{Provider}";
}
