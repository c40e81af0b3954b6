using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;

namespace Enigm.Cli.Output;

/// <summary>Which provider serves each algorithm here, and which others could.</summary>
public static class ProviderTable
{
    public sealed record Row(string Algorithm, string Kind, string Selected, IReadOnlyList<string> Available, IReadOnlyList<string> Unsupported);

    public static IReadOnlyList<Row> Build(CryptoProviders providers) =>
    [
        .. CryptoAlgorithm.All.Select(a =>
        {
            var available = providers.Available(a).Select(c => c.Provider).ToList();
            var unsupported = providers.Registered(a).Select(c => c.Provider).Except(available).ToList();
            return new Row(a.Name, a.Kind.ToString(), available.Count > 0 ? providers.SelectedProvider(a) : "(none)", available, unsupported);
        }),
    ];

    public static void Print(Narrator narrator, CryptoProviders providers) =>
        narrator.Table(
            ["algorithm", "selected", "also available", "not supported here"],
            Build(providers).Select(r => (IReadOnlyList<string>)
            [
                r.Algorithm,
                r.Selected,
                string.Join(", ", r.Available.Skip(1)),
                string.Join(", ", r.Unsupported),
            ]));
}
