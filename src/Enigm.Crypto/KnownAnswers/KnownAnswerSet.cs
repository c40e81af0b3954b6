using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;

namespace Enigm.Crypto.KnownAnswers;

/// <summary>Loads a vector file by its path relative to the vectors folder (for example <c>wycheproof/x25519_test.json</c>).</summary>
public delegate JsonDocument VectorLoader(string relativePath);

/// <summary>What a known-answer run sees: where vectors come from, which provider to test, how much to run.</summary>
public sealed class KnownAnswerContext(VectorLoader load, CryptoProviders providers, string provider, bool full)
{
    public VectorLoader Load { get; } = load;

    public CryptoProviders Providers { get; } = providers;

    /// <summary>The provider under test (see <see cref="ProviderNames"/>).</summary>
    public string Provider { get; } = provider;

    /// <summary>
    /// False runs each set's documented sample where the whole set is slow (SLH-DSA signing);
    /// true (ENIGM_FULL_VECTORS=1 in tests) runs everything.
    /// </summary>
    public bool Full { get; } = full;

    public T Primitive<T>(CryptoAlgorithm algorithm)
        where T : class => Providers.Create<T>(algorithm, Provider);
}

/// <summary>
/// One family of known-answer vectors for one algorithm, runnable against any provider of that
/// algorithm. The same sets serve the unit tests (whole upstream files) and <c>enigm selftest</c>
/// (an embedded sample of the same files), so the verdict logic exists once.
/// </summary>
public sealed record KnownAnswerSet(
    string Name,
    CryptoAlgorithm Algorithm,
    IReadOnlyList<string> Files,
    Action<KnownAnswerContext, KnownAnswerReport> Run)
{
    public KnownAnswerReport Execute(KnownAnswerContext context)
    {
        var report = new KnownAnswerReport(Name, Algorithm, context.Provider);
        Run(context, report);
        return report;
    }
}
