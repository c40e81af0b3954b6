using System.Text.Json;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;

namespace Enigm.Benchmarks.Infrastructure;

/// <summary>
/// <c>dotnet run -c Release -- providers</c>: prints, as JSON, each algorithm's selected provider and
/// every provider available and registered on this machine (rank order), so the report's
/// "selected vs fastest" comparison is made against what the catalog actually does here.
/// </summary>
internal static class ProviderListing
{
    public static int Run()
    {
        var listing = CryptoAlgorithm.All.ToDictionary(
            a => a.Name,
            a => new
            {
                Selected = CryptoProviders.Default.Available(a).Count > 0 ? CryptoProviders.Default.SelectedProvider(a) : null,
                Available = CryptoProviders.Default.Available(a).Select(c => $"{c.Provider} (rank {c.Rank})").ToArray(),
                Registered = CryptoProviders.Default.Registered(a).Select(c => $"{c.Provider} (rank {c.Rank})").ToArray(),
            });
        Console.WriteLine(JsonSerializer.Serialize(listing, Options));
        return 0;
    }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
}
