using Enigm.Crypto.KnownAnswers;
using Enigm.Crypto.Providers;

namespace Enigm.Cli.SelfTest;

/// <summary>
/// Runs every known-answer set over the embedded sample, once per provider available for its
/// algorithm, so each provider that could be selected is proven on this machine before use.
/// </summary>
public static class SelfTestRunner
{
    public static IReadOnlyList<KnownAnswerReport> Run(CryptoProviders providers, Action<string>? progress = null)
    {
        var reports = new List<KnownAnswerReport>();
        foreach (var set in KnownAnswerCatalog.All)
        {
            foreach (var candidate in providers.Available(set.Algorithm))
            {
                progress?.Invoke($"{set.Name} / {candidate.Provider}");
                var context = new KnownAnswerContext(EmbeddedVectors.Load, providers, candidate.Provider, full: false);
                KnownAnswerReport report;
                try
                {
                    report = set.Execute(context);
                }
                catch (Exception e)
                {
                    // A set that throws is a failed set, reported with its reason.
                    report = new KnownAnswerReport(set.Name, set.Algorithm, candidate.Provider);
                    report.Record(false, "run", $"{e.GetType().Name}: {e.Message}");
                }

                reports.Add(report);
            }
        }

        return reports;
    }
}
